import { admitCaller, admitRequest } from '../../nodes/WebhookTrigger/gate/gate';
import type { GateConfig, IncomingCall, Reply, Run } from '../../nodes/WebhookTrigger/gate/gate';

/** Every check of the gate in the node's order (caller first, then the request), for tests. */
export function admitCall(call: IncomingCall, config: GateConfig): Reply | Run {
	return admitCaller(call, config) ?? admitRequest(call, config);
}
