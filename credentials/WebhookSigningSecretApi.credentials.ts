import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The signing secret of a provider preset (Stripe, GitHub, Standard Webhooks, Shopify, Zoom, Paddle,
 * Mercado Pago, Typeform, Calendly, WooCommerce, Intercom, Linear, Hotmart, Kiwify). What each
 * provider calls it and where it is shown: docs/providers.md.
 */
export class WebhookSigningSecretApi implements ICredentialType {
	name = 'webhookSigningSecretApi';

	displayName = 'Webhook Gateway Provider Signing Secret API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway/blob/main/docs/providers.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The provider's webhook signing secret (Stripe/Standard Webhooks: whsec_…; Hotmart: the Hottok; token presets: the token; Discord, Telnyx, SendGrid, Wise: the provider's public key), exactly as shown",
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While rotating: the old secret, still accepted. The output says verification.secret = current or previous. Clear it once the provider uses the new one.',
		},
		{
			displayName: 'Tolerance (Seconds)',
			name: 'toleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description:
				'For providers that sign a timestamp: how far it may be from this server\'s clock, in either direction, before the call is refused as a replay',
		},
	];
}
