import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookSlackApi implements ICredentialType {
	name = 'webhookSlackApi';

	displayName = 'Webhook Gateway Slack Signing Secret API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway/blob/main/docs/authentication.md#slack';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From your Slack app: Basic Information > App Credentials > Signing Secret',
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'While rotating: the old signing secret, still accepted (verification.secret = previous)',
		},
		{
			displayName: 'Tolerance (Seconds)',
			name: 'toleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description: 'How far X-Slack-Request-Timestamp may be from this server\'s clock, either direction',
		},
	];
}
