export { ClusterView, partitionHealth, type ClusterViewProps } from './ClusterView';
