import { parseIpAllowlist, parseOriginAllowlist } from '../../nodes/WebhookTrigger/gate/allowlist';
import type { CallerRules, GateConfig } from '../../nodes/WebhookTrigger/gate/gate';

export type RequestConfig = Omit<GateConfig, keyof CallerRules>;

/** The request checks of a node that checks nothing unless told (no auth, schema or routing; 1 MiB; POST). */
export function requestConfig(overrides: Partial<RequestConfig> = {}): RequestConfig {
	return {
		scheme: 'none',
		credentials: {},
		maxBodyBytes: 1024 * 1024,
		jsonSchema: '',
		eventPath: '',
		cases: [],
		variables: [],
		saveBodyAs: '',
		method: 'POST',
		...overrides,
	};
}

/** requestConfig with allowlists that admit every caller. */
export function gateConfig(overrides: Partial<GateConfig> = {}): GateConfig {
	return { ipAllowlist: parseIpAllowlist(''), originAllowlist: parseOriginAllowlist(''), ...requestConfig(), ...overrides };
}
