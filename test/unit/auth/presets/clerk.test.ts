import { runPresetSuite } from './presetSuite';
import { describeSvixPreset, svixCase } from './svix';

// Clerk signs with Svix (./svix.ts). https://clerk.com/docs/webhooks/verify-webhooks
describeSvixPreset('clerk');
runPresetSuite(svixCase('clerk'));
