import type { WebhookField } from './webhookFields';

/**
 * The answer to an accepted call in "Immediately" mode, and when it is sent.
 *
 * Providers retry a delivery that failed and never one that got a 2xx, so by default the 2xx is
 * sent only once n8n has created (and so persisted) the execution: the node's `webhook()` hands
 * the item to n8n in "Respond to Webhook" mode, and the node's own `execute()`, the first step of
 * that execution, returns this answer through `sendResponse` — the same path n8n's Respond to
 * Webhook node takes, on n8n 1.x and 2.x, in one process and in queue mode. "Answer Before the
 * Execution Starts" restores the old, faster behaviour: written from `webhook()` before n8n has
 * started anything, so a crash in between loses the delivery.
 */

export interface AcknowledgementOptions {
	answerBeforeStart?: boolean;
	/** Answer once the delivery is stored in the inbox (delivery/inbox.ts); webhook() writes the answer. */
	inbox?: boolean;
	responseBody?: string;
	responseCode?: number;
	responseHeaders?: { values?: Array<{ name: string; value: string }> };
}

export interface Acknowledgement {
	status: number;
	/** Every header to send, Content-Type included. */
	headers: Record<string, string>;
	body: string;
}

export const DEFAULT_RESPONSE_BODY = '{"received":true}';

/** Whether `execute()` answers the call (the default for "Immediately"). */
export function answersAfterStart(responseMode: string, options: AcknowledgementOptions): boolean {
	return responseMode === 'onReceived' && options.answerBeforeStart !== true && options.inbox !== true;
}

/** The inbox answers 202 Accepted unless a status is set: stored, to run later. */
export function acknowledgement(options: AcknowledgementOptions, inbox = false): Acknowledgement {
	const headers: Record<string, string> = {};
	for (const header of options.responseHeaders?.values ?? []) if (header.name) headers[header.name] = header.value;
	const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
	if (!hasContentType) headers['Content-Type'] = 'application/json';
	const status = options.responseCode ?? (inbox ? 202 : 200);
	return { status, headers, body: status === 204 ? '' : (options.responseBody ?? DEFAULT_RESPONSE_BODY) };
}

/**
 * The `responseMode` n8n applies to the `default` webhook: "Immediately" becomes n8n's "Respond to
 * Webhook" mode unless the user chose to answer before the execution starts. The template is an
 * n8n expression (evaluated by the editor, and by n8n 1.x on every call), so it must stand alone;
 * the resolver is the same rule for n8n 2.x's engine-free path (see webhookFields.ts).
 */
export const responseModeField: WebhookField = {
	template:
		'={{$parameter["responseMode"] === "onReceived" && !($parameter["options"] || {})["answerBeforeStart"] && !($parameter["options"] || {})["inbox"] ? "responseNode" : $parameter["responseMode"]}}',
	resolve: (parameters) => {
		const options = (parameters.options ?? {}) as AcknowledgementOptions;
		return parameters.responseMode === 'onReceived' && !options.answerBeforeStart && !options.inbox ? 'responseNode' : parameters.responseMode;
	},
};
