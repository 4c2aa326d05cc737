import type { OutgoingHttpHeaders, ServerResponse } from 'http';

import type { Answer } from './handleCall';

/** The part of Node's response an answer is written with (n8n hands the node express's, which is one). */
export type AnswerResponse = Pick<ServerResponse, 'writeHead' | 'end'>;

/** A text type as express's res.send() writes it: with `charset=utf-8` unless it names one. */
const withCharset = (type: string): string => (/;\s*charset=/i.test(type) ? type : `${type}; charset=utf-8`);

/**
 * Writes an answer with Node's own response calls, as n8n's Webhook node writes its refusals.
 * express's res.send() also hashed every body for an ETag (a webhook caller never revalidates an
 * answer) and parsed the content type again: in n8n 1.123 that was most of what an inbox answer
 * cost the HTTP stack beyond a refusal. Headers are those res.send() wrote, but the ETag.
 */
export function writeAnswer(res: AnswerResponse, answer: Answer): void {
	const headers: OutgoingHttpHeaders = { ...answer.headers };
	if (answer.status === 204) {
		res.writeHead(204, headers);
		res.end();
		return;
	}
	const body = Buffer.from(answer.body, 'utf8');
	// The answer's type, else a Content-Type among its headers (a configured answer), else express's default.
	const named = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
	const type = answer.contentType ?? (named === undefined ? undefined : String(headers[named])) ?? 'text/html';
	if (named !== undefined) delete headers[named];
	headers['Content-Type'] = withCharset(type);
	headers['Content-Length'] = body.length;
	res.writeHead(answer.status, headers);
	res.end(body);
}
