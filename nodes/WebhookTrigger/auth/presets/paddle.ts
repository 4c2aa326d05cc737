import { commonPreset } from './common';

/** Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=…]`, HMAC-SHA256 of `${ts}:${body}`. */
export const paddleVerifier = commonPreset('paddle', {
	displayName: 'Paddle',
	description: 'Paddle-Signature (ts=…;h1=…) with a replay window',
	docs: 'https://developer.paddle.com/webhooks/signature-verification',
	header: 'paddle-signature',
	algorithm: 'sha256',
	encoding: 'hex',
	fields: { separator: ';', timestamp: 'ts', signature: 'h1' },
	timestamp: { unit: 'seconds' },
	signs: ['timestamp', { text: ':' }, 'body'],
	preset: { eventPath: 'body.event_type', deliveryIdPath: 'body.event_id' },
});
