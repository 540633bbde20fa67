/**
 * What the forwarder needs to know about a cluster before it writes: its version and its modules.
 * Elastic's integ-test distribution has no rest-root module, so `GET /` (the client's info() and
 * ping()) answers 405 there: the version then comes from `GET _nodes/_local`, which every
 * distribution serves. A full distribution is still asked `GET /` first, as clients expect.
 */
import { errors, type Client } from '@elastic/elasticsearch';

/** The endpoint is not there (a module missing): 405 on 8.x, 400 "no handler found" on 9.x. */
export function isMissingEndpoint(error: unknown): boolean {
  if (!(error instanceof errors.ResponseError)) return false;
  const body = error.body as { error?: unknown } | undefined;
  const message = typeof body?.error === 'string' ? body.error : '';
  return error.statusCode === 405 || (error.statusCode === 400 && message.startsWith('no handler found'));
}

export class ClusterFacts {
  private rootMissing = false;

  constructor(private readonly client: Client) {}

  async version(): Promise<string> {
    if (!this.rootMissing) {
      try {
        return (await this.client.info()).version.number;
      } catch (error) {
        if (!isMissingEndpoint(error)) throw error;
        this.rootMissing = true;
      }
    }
    const answer = (await this.client.transport.request({
      method: 'GET', path: '/_nodes/_local', querystring: { filter_path: 'nodes.*.version' },
    })) as { nodes?: Record<string, { version?: string }> };
    const version = Object.values(answer.nodes ?? {})[0]?.version;
    if (!version) throw new Error('Elasticsearch did not say its version (GET / and GET _nodes/_local)');
    return version;
  }

  /** The modules of the node answering (undefined when the credentials may not ask: then refusals tell). */
  async modules(): Promise<string[] | undefined> {
    try {
      const answer = (await this.client.transport.request({
        method: 'GET', path: '/_nodes/_local/plugins', querystring: { filter_path: 'nodes.*.modules.name,nodes.*.plugins.name' },
      })) as { nodes?: Record<string, { modules?: Array<{ name: string }>; plugins?: Array<{ name: string }> }> };
      const node = Object.values(answer.nodes ?? {})[0];
      if (!node) return undefined;
      return [...(node.modules ?? []), ...(node.plugins ?? [])].map((entry) => entry.name).sort();
    } catch (error) {
      if (error instanceof errors.ResponseError && (error.statusCode === 401 || error.statusCode === 403 || isMissingEndpoint(error))) return undefined;
      throw error;
    }
  }
}

/** Data stream lifecycle in index templates: Elasticsearch 8.11 and later. */
export function lifecycleSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 8 || (major === 8 && minor >= 11);
}
