import type { Metadata } from 'next';
import { LabPanel } from '../../components/LabPanel';
import { LabProvider } from '../../components/LabProvider';

export const metadata: Metadata = { title: 'Sandbox lab · Kafka Internals Lab' };

export default function SandboxPage() {
  return (
    <LabProvider shape="sandbox">
      <h1 className="sr-only">Sandbox lab</h1>
      <LabPanel layout="full" />
    </LabProvider>
  );
}
