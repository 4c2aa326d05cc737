import type { AuthScheme } from '../../../../nodes/WebhookTrigger/auth';
import { parseIpAllowlist, parseOriginAllowlist } from '../../../../nodes/WebhookTrigger/gate/allowlist';
import type { Reply, Run } from '../../../../nodes/WebhookTrigger/gate/gate';
import { admitCall } from '../../../support/admitCall';
import { NOW } from './presetSuite';

/** A call through the whole gate, as the node's `default` (POST) or `setup` (GET) webhook receives it. */
export function gateCall(
	scheme: AuthScheme,
	credentials: Record<string, unknown>,
	call: { get?: boolean; headers?: Record<string, string>; query?: Record<string, unknown>; body?: string },
): Reply | Run {
	const body = call.body ?? '';
	return admitCall(
		{
			webhookName: call.get ? 'setup' : 'default',
			method: call.get ? 'GET' : 'POST',
			headers: call.headers ?? {},
			query: call.query ?? {},
			params: {},
			body: body === '' ? {} : (JSON.parse(body) as unknown),
			rawBody: call.get ? undefined : Buffer.from(body),
			ip: '203.0.113.7',
			now: NOW,
		},
		{
			scheme,
			credentials,
			ipAllowlist: parseIpAllowlist(''),
			originAllowlist: parseOriginAllowlist(''),
			maxBodyBytes: 1024 * 1024,
			jsonSchema: '',
			eventPath: '',
			cases: [],
			variables: [],
			saveBodyAs: '',
			method: 'POST',
		},
	);
}
