/**
 * The one catalogue of reasons the Webhook Trigger answers a call with when it starts nothing: each
 * code's HTTP status (or the statuses it legitimately comes with), how the delivery log files it,
 * its default message and its documentation. The gate, the verifiers, duplicate suppression,
 * resume and the node build their answers from it; docs/reasons.md's table is checked against
 * it (test/unit/reasons.test.ts). Pure data (replies.ts builds the answers): no n8n, no I/O.
 */
import type { DeliveryOutcome } from '../shared/store/deliveries';

export interface ReasonSpec {
	/** The HTTP statuses it is answered with, the default first; none for a log record only. */
	readonly statuses: readonly number[];
	/** How the delivery log files a call answered with it. */
	readonly outcome: DeliveryOutcome;
	/** Which part answers with it (`verifier`: a scheme or preset, through `reject`). */
	readonly from: 'gate' | 'verifier' | 'delivery' | 'node' | 'log';
	/**
	 * The `message` of its `{error, message}` answer when the caller gives none more specific.
	 * Absent for a code answered with a body of its own (handshake, duplicate) or never answered.
	 */
	readonly message?: string;
	/** Headers every answer with it carries (Retry-After). */
	readonly headers?: Readonly<Record<string, string>>;
	/** docs/reasons.md's table (Markdown, no `|`, links relative to docs/): why a call gets it, and what to do. */
	readonly cause: string;
	readonly fix: string;
}

const RETRY_30 = { 'Retry-After': '30' } as const;

/** In the order the trigger checks a call, as docs/reasons.md's table lists them. */
export const REASONS = {
	ip_not_allowed: {
		statuses: [403],
		outcome: 'rejected',
		from: 'gate',
		message: 'The caller address is not in the allowlist',
		cause: "The caller's address (as n8n resolved it, `req.ip`) is not in IP Allowlist",
		fix: "Add the provider's ranges; behind a reverse proxy set `N8N_PROXY_HOPS`",
	},
	origin_not_allowed: {
		statuses: [403],
		outcome: 'rejected',
		from: 'gate',
		message: 'The request origin is not in the allowlist',
		cause: 'The `Origin` header is missing or not in Origin Allowlist',
		fix: 'Server-to-server callers send no Origin: leave Origin Allowlist empty',
	},
	rate_limited: {
		statuses: [429],
		outcome: 'rejected',
		from: 'gate',
		message: 'Too many calls; retry after the seconds in Retry-After',
		cause: "More calls than Rate Limit allows in its window for the caller's key (address: before verification; header, body path or the whole node: after it, so forged calls spend nothing); `Retry-After` says when the window ends. The log counts a flood in one record per key and window (`dropped`: the refused calls after the first)",
		fix: 'Slow the caller down, or raise Rate Limit; see [Rate limits](webhook-trigger.md#rate-limits)',
	},
	method_not_allowed: {
		statuses: [405],
		outcome: 'rejected',
		from: 'gate',
		message: 'This webhook does not accept this method',
		cause: 'A GET on a scheme without a handshake (`Allow` names the configured method)',
		fix: 'Call with the configured method',
	},
	payload_too_large: {
		statuses: [413],
		outcome: 'rejected',
		from: 'gate',
		message: 'The body is over the size limit',
		cause:
			'The body is over Max Body Size, counted on the bytes received (for multipart: the fields and files n8n parsed, also without `Content-Length`). Over `N8N_PAYLOAD_SIZE_MAX` (16 MB) n8n itself answers 413 first',
		fix: 'Raise the option (n8n itself caps at `N8N_PAYLOAD_SIZE_MAX`)',
	},
	unsupported_media_type: {
		statuses: [415],
		outcome: 'rejected',
		from: 'gate',
		message: 'Signed calls need a JSON, text, form or XML body',
		cause: 'A signed scheme got `multipart/form-data` (n8n keeps no raw bytes for it)',
		fix: 'Send JSON, form or text',
	},
	not_configured: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'Authentication is not configured for this webhook',
		cause: "The credential's secret (or another field it needs) is empty or only whitespace",
		fix: "Fill it in; the credential's Test button names the field",
	},
	missing_token: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The request carries no token',
		cause: 'Bearer, custom header, query parameter or Hotmart: no token (bearer answers with `WWW-Authenticate: Bearer realm="webhook"`)',
		fix: "Copy the token from the credential into the caller's settings",
	},
	malformed_token: {
		statuses: [401, 400],
		outcome: 'rejected',
		from: 'verifier',
		message: 'Send the token exactly once',
		cause:
			'The token is sent twice or is not one text: 400 for bearer (RFC 6750 `invalid_request`, with `WWW-Authenticate`), 401 for custom header, query parameter and Hotmart',
		fix: 'Send the token exactly once',
	},
	invalid_token: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The token is not valid',
		cause: 'The token is not the credential\'s (bearer adds `WWW-Authenticate` with `error="invalid_token"`)',
		fix: "Copy the token from the credential into the caller's settings",
	},
	missing_signature: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The request carries no signature',
		cause: 'HMAC, Slack, Meta POST or a signing [provider preset](providers.md#provider-presets): the call carries no signature',
		fix: 'Check the header or parameter name in the credential and in the caller',
	},
	malformed_signature: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The signature is not in the expected format',
		cause: "The signature is not in the algorithm's encoding and length, lacks its prefix, or is sent twice",
		fix: 'Check header or parameter name, prefix (`sha256=`), hex vs base64 in the credential',
	},
	signature_mismatch: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The signature does not match the request body',
		cause: 'The signature is not over these bytes with this secret',
		fix: 'Same secret on both sides; the caller must sign the exact raw body',
	},
	missing_timestamp: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The request carries no signed timestamp',
		cause: 'A scheme that signs a timestamp (Slack, Stripe, Standard Webhooks, Zoom, Paddle, Mercado Pago, Calendly, Linear) got none',
		fix: 'Providers always send one: check that nothing between them and n8n drops the header',
	},
	malformed_timestamp: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The signed timestamp must be whole seconds',
		cause: 'The signed timestamp is not whole seconds, or its header is sent twice',
		fix: 'Check which scheme or preset the node uses: it must be the provider\'s',
	},
	timestamp_outside_tolerance: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The request timestamp cannot be checked against the clock',
		cause: "The signed timestamp is off by more than the credential's Tolerance (default 300 s) either way; the message says by how much",
		fix: 'Check the server clock (NTP); a replayed call is refused on purpose',
	},
	missing_id: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The request carries no webhook-id header',
		cause: 'Standard Webhooks without exactly one `webhook-id` (or `svix-id`) header',
		fix: 'Providers always send one: check that nothing between them and n8n drops the header',
	},
	malformed_request_id: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'Send exactly one x-request-id header',
		cause: 'Mercado Pago with a repeated `x-request-id` header',
		fix: 'Check that nothing between Mercado Pago and n8n adds a second one',
	},
	body_id_mismatch: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: "The body's data.id is not the signed data.id of the notification URL",
		cause:
			"Mercado Pago: a validly signed call whose body names another `data.id` than the signed one in the URL (the body is not signed; a captured call resent with another body)",
		fix: 'None for genuine deliveries; if your own test sends it, use the same id in `?data.id=` and the body',
	},
	verify_token_mismatch: {
		statuses: [403],
		outcome: 'rejected',
		from: 'verifier',
		message: 'hub.verify_token does not match the configured verify token',
		cause: "Meta's GET handshake with another verify token",
		fix: 'Same Verify Token in the Meta App and the credential',
	},
	invalid_handshake: {
		statuses: [403, 400],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The handshake lacks a required field',
		cause:
			"403: Meta's GET handshake without `hub.mode=subscribe`, `hub.verify_token` or `hub.challenge`; 400: Slack `url_verification` without `challenge`, Zoom `endpoint.url_validation` without `plainToken`, Twitch `webhook_callback_verification` without `challenge`, Dropbox GET without `challenge`, Asana `X-Hook-Secret` repeated or not printable, Okta's verification GET without `x-okta-verification-challenge`, Microsoft Graph `validationToken` repeated or over 1024 characters",
		fix: "Subscribe from the provider's app settings; genuine handshakes carry every field",
	},
	verification_error: {
		statuses: [401],
		outcome: 'rejected',
		from: 'verifier',
		message: 'The request could not be verified',
		cause: 'The scheme failed on this call: a bug of this package (the call is refused, never accepted)',
		fix: "Report it with the scheme and the record's redacted headers",
	},
	handshake: {
		statuses: [200],
		outcome: 'handshake',
		from: 'gate',
		cause:
			"A provider's handshake, answered (Meta `hub.challenge`, Slack `url_verification`, Zoom `endpoint.url_validation`, Discord PING, Twitch `webhook_callback_verification`, Dropbox `GET ?challenge`, Asana `X-Hook-Secret`, Okta's verification GET, Microsoft Graph `validationToken`); no execution",
		fix: 'None: the provider is checking the URL',
	},
	invalid_json: {
		statuses: [400],
		outcome: 'rejected',
		from: 'gate',
		message: 'The body must be JSON',
		cause: 'A Body JSON Schema is set and a text body is not JSON',
		fix: "The record's `item` (with Keep Bodies) shows what was sent",
	},
	schema_violation: {
		statuses: [422],
		outcome: 'rejected',
		from: 'gate',
		message: 'The body does not match the schema',
		cause:
			"The body does not match Body JSON Schema; `errors: [{ path, message }]` gives the first failing rule (up to 20 `anyOf`/`oneOf` branches). A body too long for the pattern budget, or nested too deeply, gets one error at path `''`",
		fix: "The record's `item` (with Keep Bodies) shows what was sent",
	},
	duplicate: {
		statuses: [200],
		outcome: 'duplicate',
		from: 'delivery',
		cause:
			'A copy of a delivery whose first copy\'s execution has started, within the window ([Duplicate suppression](duplicates-and-answers.md#duplicate-suppression)): `{"duplicate": true, "deliveryId": <first>, "firstSeen": …}`, nothing started',
		fix: "None; a first copy whose execution failed is retried from n8n's executions list",
	},
	delivery_in_progress: {
		statuses: [409],
		outcome: 'duplicate',
		from: 'delivery',
		message: 'Another copy of this delivery is being started; retry later',
		headers: { 'Retry-After': '60' },
		cause: "A copy of a delivery whose first copy's execution had not started within 5 s; `Retry-After: 60`, nothing started",
		fix: "None: the provider's retry is answered as a duplicate once the first runs, or runs the workflow if the first never started (after 10 min)",
	},
	not_waiting: {
		statuses: [404, 409],
		outcome: 'rejected',
		from: 'delivery',
		message: 'No execution is waiting for this call',
		cause:
			"[Resume Waiting Executions](resume.md#correlated-resume) is on and no execution waits for the call's key: unknown, expired, already resumed, or the key path is missing in the call (all alike); 404 or 409 as *When None Waits* says. With *Start This Workflow* the record is `accepted` with this reason",
		fix: "Compare the key path with the call (`body.data.order_id`), the Wait for Webhook node's Trigger Path with this trigger's Path, and its timeout",
	},
	resume_failed: {
		statuses: [503],
		outcome: 'error',
		from: 'delivery',
		message: 'The waiting execution could not be resumed; retry later',
		headers: RETRY_30,
		cause:
			'The waiting execution did not take the hand-over (n8n unreachable at its own resume URL, or still busy after 15 s); the wait was released and the caller got `Retry-After: 30`, so its retry can resume it',
		fix: "n8n must reach its own `WEBHOOK_URL`; n8n's log has a line per failure",
	},
	replay_token_invalid: {
		statuses: [401],
		outcome: 'rejected',
		from: 'delivery',
		message: 'The replay token is unknown, used or expired; replay the delivery again from Webhook Deliveries',
		cause:
			'A call on the Test URL with `X-Webhook-Gateway-Replay` whose token is unknown, already used, older than 2 minutes or issued for another trigger ([Replay to the Test URL](delivery-log.md#replay-to-the-test-url)); nothing started',
		fix: 'Replay the delivery again with Webhook Deliveries (Replay To: Test URL) while the editor listens',
	},
	store_unavailable: {
		statuses: [503],
		outcome: 'error',
		from: 'delivery',
		message: 'The store could not be reached; retry later',
		headers: RETRY_30,
		cause: 'The store could not be read for duplicates or waiting executions, or (inbox) the delivery could not be stored; `Retry-After: 30`, nothing started',
		fix: 'Check the PostgreSQL credential and server',
	},
	configuration_error: {
		statuses: [500],
		outcome: 'error',
		from: 'node',
		message: "This webhook is not configured correctly; the details are in n8n's log",
		cause:
			"The node's own settings are wrong (bad allowlist entry, invalid schema, missing credential, the embedded store in queue mode). The caller gets no detail",
		fix: "n8n's log has it (`error` level, one line per node per minute with a count of the calls that failed the same way since)",
	},
	log_buffer_full: {
		statuses: [],
		outcome: 'overflow',
		from: 'log',
		cause: 'More calls than the delivery log could buffer (10,000 records or 32 MiB), e.g. a flood or a store too slow to keep up; one record counts them in `dropped` and sums their bodies\' sizes in `bodyBytes` (no answer has this code)',
		fix: 'Look for a flood',
	},
} as const satisfies Record<string, ReasonSpec>;

export type Catalogue = typeof REASONS;

/** Every code: a typo is a compile error. */
export type ReasonCode = keyof Catalogue;
