/**
 * Replay of refused calls (issue 28). In inbox mode a call refused for its signature is kept as
 * received (store/inbox.ts `keepRefusedCall`), so that once a wrong secret is fixed, Webhook
 * Deliveries can replay what was refused. The replay is verified again by the trigger's pump with
 * the credential as it is then, its signed timestamp judged against the original arrival time: a
 * forged call stays refused. Schemes that send a token (bearer, header, query) never keep the call:
 * storing the token the caller sent would store a secret, so they replay only accepted deliveries.
 */
import { HTTP_CREDENTIAL_HEADERS, schemeFields, signsBody } from '../auth';
import type { AuthScheme } from '../auth';
import type { CallerRules, GateConfig, IncomingCall } from '../gate/gate';
import { admitRequest } from '../gate/gate';
import type { ReasonCode } from '../reasons';
import { keepRefusedCall } from '../../shared/store/inbox';
import type { StoredCall } from '../../shared/store/inbox';
import type { Queryable } from '../../shared/store/types';
import type { ClaimResult } from '../../shared/store/deliveryKeys';

/** Refusals a changed credential can turn into an acceptance; a missing or malformed signature never. */
const REPLAYABLE_REFUSALS: ReadonlySet<string> = new Set<ReasonCode>(['signature_mismatch', 'timestamp_outside_tolerance']);

/** Whether a call refused with `code` under `scheme` is kept for a later replay. */
export function keepsRefusal(scheme: AuthScheme, code: string): boolean {
	return REPLAYABLE_REFUSALS.has(code) && signsBody(scheme);
}

/** Triggers whose kept refusals are at the cap, until when: a flood of forged calls skips the count. */
const fullUntil = new Map<string, number>();
const FULL_RECHECK_MS = 60_000;

/** Keeps a refused call unless the trigger was found at the cap within the last minute. */
export async function keepRefusal(
	store: { key: string; open: () => Promise<Queryable> },
	refused: { id: string; workflowId: string; nodeName: string; receivedAt: Date; call: StoredCall },
): Promise<void> {
	const key = `${store.key}\n${refused.workflowId}\n${refused.nodeName}`;
	const now = refused.receivedAt.getTime();
	if ((fullUntil.get(key) ?? 0) > now) return;
	const kept = await keepRefusedCall(await store.open(), refused);
	if (kept) fullUntil.delete(key);
	else fullUntil.set(key, now + FULL_RECHECK_MS);
}

/**
 * The call as kept: HTTP's own credential headers (Authorization, Cookie, …) are dropped unless the
 * scheme reads its signature from one (a generic HMAC credential may name Authorization). No
 * signing scheme signs them, so verifying again does not need them.
 */
export function storedCallOf(call: IncomingCall, scheme: AuthScheme, credentials: unknown, webhookUrl?: string): StoredCall {
	const read = new Set(schemeFields(scheme, credentials).headers.map((name) => name.toLowerCase()));
	const headers = Object.fromEntries(
		Object.entries(call.headers).filter(([name]) => read.has(name.toLowerCase()) || !HTTP_CREDENTIAL_HEADERS.includes(name.toLowerCase())),
	);
	return {
		webhookName: call.webhookName,
		method: call.method,
		headers,
		query: call.query,
		params: call.params,
		body: call.body ?? null,
		rawBody: call.rawBody ? call.rawBody.toString('base64') : null,
		ip: call.ip ?? null,
		now: call.now,
		...(webhookUrl === undefined ? {} : { webhookUrl }),
	};
}

function incomingCallOf(stored: StoredCall): IncomingCall {
	return {
		webhookName: stored.webhookName,
		method: stored.method,
		headers: stored.headers as IncomingCall['headers'],
		query: stored.query,
		params: stored.params,
		body: stored.body,
		rawBody: stored.rawBody === null ? undefined : Buffer.from(stored.rawBody, 'base64'),
		ip: stored.ip ?? undefined,
		// Signed timestamps are judged against the arrival, not the replay.
		now: stored.now,
	};
}

export interface ReplayVerification {
	/** The node's gate as configured now (its credential read now), for the URL the call was signed for. */
	gateConfig: (webhookUrl: string | undefined) => Promise<Omit<GateConfig, keyof CallerRules>>;
	/** Claims the delivery key (duplicate suppression on); undefined: suppression off. */
	claimKey: (root: Record<string, unknown>, scheme: AuthScheme) => Promise<ClaimResult | undefined>;
}

export type VerifiedReplay = { ok: true; item: Record<string, unknown> } | { ok: false; error: string };

/**
 * Verifies a replayed refusal again. Accepted: the item the trigger would have emitted, with the
 * replay's delivery id and `replayOf`. Refused again, or a copy of a delivery that already ran
 * (the provider's own retry was accepted after the fix): why, and nothing runs.
 */
export async function verifyReplayedCall(
	stored: StoredCall,
	replay: { deliveryId: string; replayOf: string | null },
	ports: ReplayVerification,
): Promise<VerifiedReplay> {
	const config = await ports.gateConfig(stored.webhookUrl);
	const call = incomingCallOf(stored);
	const admitted = admitRequest(call, config);
	if (admitted.kind === 'reply') return { ok: false, error: `refused again: ${admitted.code} (${admitted.status})` };
	const claim = await ports.claimKey({ body: call.body, headers: call.headers, query: call.query, params: call.params }, config.scheme);
	if (claim !== undefined && !claim.first) return { ok: false, error: `not run: delivery ${claim.firstDeliveryId} with the same key ran` };
	return { ok: true, item: { ...admitted.item, deliveryId: replay.deliveryId, replayOf: replay.replayOf } };
}
