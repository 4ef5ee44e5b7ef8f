import type { ChipTone } from '../../ui/Chip.tsx';
import type { InterventionChannel, InterventionStatus } from '../../../shared/dto/interventions.ts';

export const STATUS_LABEL: Record<InterventionStatus, string> = {
  planned: 'Planned',
  sent: 'Sent',
  succeeded: 'Succeeded',
  failed: 'Failed',
  expired: 'Expired',
};

export const STATUS_TONE: Record<InterventionStatus, ChipTone> = {
  planned: 'neutral',
  sent: 'accent',
  succeeded: 'green',
  failed: 'red',
  expired: 'yellow',
};

export const CHANNEL_LABEL: Record<InterventionChannel, string> = {
  email: 'Email',
  in_app: 'In-app',
  sms: 'SMS',
  call: 'Call',
  other: 'Other',
};
