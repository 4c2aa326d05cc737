import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookTwilioApi implements ICredentialType {
	name = 'webhookTwilioApi';

	displayName = 'Webhook Gateway Twilio API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway/blob/main/docs/providers.md#twilio';

	properties: INodeProperties[] = [
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Twilio Console > Account Info > Auth Token (it signs X-Twilio-Signature)',
		},
		{
			displayName: 'Previous Auth Token',
			name: 'previousAuthToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'While rotating: the secondary or old token, still accepted',
		},
		{
			displayName: 'Public URL',
			name: 'publicUrl',
			type: 'string',
			default: '',
			placeholder: 'https://n8n.example.com/webhook/twilio-sms',
			description:
				"Exactly the URL configured in Twilio, query string included. Empty: this webhook's URL as n8n publishes it (WEBHOOK_URL).",
		},
	];
}
