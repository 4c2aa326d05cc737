import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookSlackApi implements ICredentialType {
	name = 'webhookSlackApi';

	displayName = 'Webhook Gateway Slack Signing Secret API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway#slack';

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
	];
}
