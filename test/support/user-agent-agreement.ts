/**
 * How far our user_agent.* agrees with Elastic's user_agent processor, field by field, over a set
 * of user-agent strings: the processor alone in a pipeline (`_simulate`), against parseUserAgent.
 * The test strings of uap-core's own suites come from Debian's `uap-core` package (npm's has none).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseUserAgent } from '../../server/src/transform/user-agent.js';
import type { OracleNode } from './oracle-node.js';
import { installUserAgentPipeline, simulate } from './oracle-pipeline.js';
import { flatten } from './parity.js';

export const UA_FIELDS = ['name', 'version', 'os.name', 'os.version', 'os.full', 'device.name'] as const;
export const UAP_CORE_TESTS = process.env.UAP_CORE_TESTS ?? '/usr/share/uap-core/tests';
const SUITES = ['test_ua.yaml', 'test_os.yaml', 'test_device.yaml'];

export interface UserAgentAgreement {
  strings: number;
  /** Strings on which all six fields agree. */
  identical: number;
  perField: Record<(typeof UA_FIELDS)[number], number>;
  differing: Array<{ ua: string; field: string; elastic: unknown; ours: unknown }>;
}

/** Every distinct user-agent string of uap-core's three test suites. */
export function uapCoreTestStrings(dir = UAP_CORE_TESTS): string[] {
  const strings = new Set<string>();
  for (const suite of SUITES) {
    const file = `${dir}/${suite}`;
    if (!existsSync(file)) throw new Error(`${file} not found: apt-get install uap-core (Debian's package ships uap-core's test suites), or set UAP_CORE_TESTS`);
    const cases = (parse(readFileSync(file, 'utf8')) as { test_cases: Array<{ user_agent_string: unknown }> }).test_cases;
    for (const c of cases) if (typeof c.user_agent_string === 'string') strings.add(c.user_agent_string);
  }
  return [...strings];
}

export async function userAgentAgreement(node: OracleNode, strings: readonly string[]): Promise<UserAgentAgreement> {
  await installUserAgentPipeline(node, 'mattermost-audit-parity-ua');
  const docs = await simulate(node, 'mattermost-audit-parity-ua', strings.map((ua) => ({ ua })), 1000);
  const perField = Object.fromEntries(UA_FIELDS.map((f) => [f, 0])) as UserAgentAgreement['perField'];
  const differing: UserAgentAgreement['differing'] = [];
  let identical = 0;
  for (const [i, ua] of strings.entries()) {
    const elastic = flatten((docs[i]!.source as { user_agent?: unknown } | undefined)?.user_agent ?? {});
    const ours = flatten(parseUserAgent(ua));
    let all = true;
    for (const field of UA_FIELDS) {
      // The processor writes every field, ours too; a pruned "" (an empty version part) is alike on both sides.
      if (elastic.get(field) === ours.get(field)) perField[field]++;
      else {
        all = false;
        differing.push({ ua, field, elastic: elastic.get(field), ours: ours.get(field) });
      }
    }
    if (all) identical++;
  }
  return { strings: strings.length, identical, perField, differing };
}
