/**
 * DescribeConfigs (api key 32) versions 0–4, AlterConfigs (33) versions 0–2 and
 * IncrementalAlterConfigs (44) versions 0–1.
 *
 * Behaviour: resource types TOPIC (2) and BROKER (4; name '' is the cluster-wide default).
 * DescribeConfigs lists every config the engine models with Kafka's config sources, filtered
 * by `configuration_keys`; v0 gets `is_default`. IncrementalAlterConfigs maps SET (0) and
 * DELETE (1) directly and computes APPEND (2) / SUBTRACT (3) on the comma-separated current
 * value. AlterConfigs (legacy) replaces the resource's dynamic configs: entries not named
 * in the request are deleted, as in Kafka.
 *
 * Deviations: synonyms are never listed; documentation is null; `config_type` is inferred
 * from the value (BOOLEAN, LONG or STRING); broker configs are reported read-only unless set
 * dynamically. BROKER_LOGGER (8) and other resource types answer INVALID_REQUEST.
 */
import { KafkaError, type AlterConfigOp, type ConfigEntry, type ConfigResource } from '@kil/engine';
import type { AlterConfigsRequest, AlterConfigsResponse } from '../messages/33-alter-configs';
import type { DescribeConfigsRequest, DescribeConfigsResourceResult, DescribeConfigsResponse } from '../messages/32-describe-configs';
import type { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from '../messages/44-incremental-alter-configs';
import { errorCodeOf, errorMessageOf, isBrokerDown, NONE, type HandlerEnv } from './context';

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;

/** Kafka's ConfigSource ids (DescribeConfigs v1+). */
const configSourceIds: Record<ConfigEntry['source'], number> = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
};

const CONFIG_TYPE_BOOLEAN = 1;
const CONFIG_TYPE_STRING = 2;
const CONFIG_TYPE_LONG = 5;

function resourceOf(type: number, name: string): ConfigResource {
  if (type === RESOURCE_TOPIC) return { type: 'topic', name };
  if (type === RESOURCE_BROKER) return { type: 'broker', name };
  throw new KafkaError('INVALID_REQUEST', `Config resource type ${type} is not supported.`, 'Use TOPIC (2) or BROKER (4).');
}

function configType(value: string | null): number {
  if (value === 'true' || value === 'false') return CONFIG_TYPE_BOOLEAN;
  if (value !== null && value !== '' && Number.isFinite(Number(value))) return CONFIG_TYPE_LONG;
  return CONFIG_TYPE_STRING;
}

function wireEntry(entry: ConfigEntry, broker: boolean): DescribeConfigsResourceResult {
  return {
    name: entry.name,
    value: entry.value,
    readOnly: broker && entry.source !== 'DYNAMIC_BROKER_CONFIG' && entry.source !== 'DYNAMIC_DEFAULT_BROKER_CONFIG',
    isDefault: entry.isDefault,
    configSource: configSourceIds[entry.source],
    isSensitive: false,
    synonyms: [],
    configType: configType(entry.value),
    documentation: null,
  };
}

/** Engine failures become the resource's error; a stopped broker closes the connection. */
function resourceError(error: unknown): { errorCode: number; errorMessage: string | null } {
  if (isBrokerDown(error)) throw error;
  return { errorCode: errorCodeOf(error), errorMessage: errorMessageOf(error) };
}

export async function handleDescribeConfigs(env: HandlerEnv, request: DescribeConfigsRequest): Promise<DescribeConfigsResponse> {
  const results = await Promise.all(
    request.resources.map(async (r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      try {
        const resource = resourceOf(r.resourceType, r.resourceName);
        const entries = await env.engine(() => env.broker.describeConfigs(resource));
        const keys = r.configurationKeys === null ? null : new Set(r.configurationKeys);
        const configs = entries.filter((e) => keys === null || keys.has(e.name)).map((e) => wireEntry(e, resource.type === 'broker'));
        return { ...base, errorCode: NONE, errorMessage: null, configs };
      } catch (error) {
        return { ...base, ...resourceError(error), configs: [] };
      }
    }),
  );
  return { throttleTimeMs: 0, results };
}

const OP_SET = 0;
const OP_DELETE = 1;
const OP_APPEND = 2;
const OP_SUBTRACT = 3;

async function engineOps(env: HandlerEnv, resource: ConfigResource, configs: IncrementalAlterConfigsRequest['resources'][number]['configs']): Promise<AlterConfigOp[]> {
  const needsCurrent = configs.some((c) => c.configOperation === OP_APPEND || c.configOperation === OP_SUBTRACT);
  const current = needsCurrent ? await env.engine(() => env.broker.describeConfigs(resource)) : [];
  return configs.map((c): AlterConfigOp => {
    if (c.configOperation === OP_SET) return { name: c.name, value: c.value };
    if (c.configOperation === OP_DELETE) return { name: c.name, value: null };
    if (c.configOperation !== OP_APPEND && c.configOperation !== OP_SUBTRACT) {
      throw new KafkaError('INVALID_REQUEST', `Unknown config operation ${c.configOperation} for ${c.name}.`, 'Use SET (0), DELETE (1), APPEND (2) or SUBTRACT (3).');
    }
    const now = (current.find((e) => e.name === c.name)?.value ?? '').split(',').filter((v) => v !== '');
    const given = (c.value ?? '').split(',').filter((v) => v !== '');
    const next = c.configOperation === OP_APPEND ? [...now, ...given.filter((v) => !now.includes(v))] : now.filter((v) => !given.includes(v));
    return { name: c.name, value: next.join(',') };
  });
}

export async function handleIncrementalAlterConfigs(env: HandlerEnv, request: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> {
  const responses = [];
  // One resource at a time: each change is a controller commit, and order matters to a reader.
  for (const r of request.resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    try {
      const resource = resourceOf(r.resourceType, r.resourceName);
      const ops = await engineOps(env, resource, r.configs);
      await env.engine(() => env.broker.incrementalAlterConfigs(resource, ops, { validateOnly: request.validateOnly }));
      responses.push({ ...base, errorCode: NONE, errorMessage: null });
    } catch (error) {
      responses.push({ ...base, ...resourceError(error) });
    }
  }
  return { throttleTimeMs: 0, responses };
}

export async function handleAlterConfigs(env: HandlerEnv, request: AlterConfigsRequest): Promise<AlterConfigsResponse> {
  const responses = [];
  for (const r of request.resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    try {
      const resource = resourceOf(r.resourceType, r.resourceName);
      const current = await env.engine(() => env.broker.describeConfigs(resource));
      const named = new Set(r.configs.map((c) => c.name));
      const dynamic = current.filter((e) => e.source.startsWith('DYNAMIC_') && !named.has(e.name));
      const ops: AlterConfigOp[] = [...r.configs.map((c) => ({ name: c.name, value: c.value })), ...dynamic.map((e) => ({ name: e.name, value: null }))];
      await env.engine(() => env.broker.incrementalAlterConfigs(resource, ops, { validateOnly: request.validateOnly }));
      responses.push({ ...base, errorCode: NONE, errorMessage: null });
    } catch (error) {
      responses.push({ ...base, ...resourceError(error) });
    }
  }
  return { throttleTimeMs: 0, responses };
}
