/**
 * What a CSM can do with a checklist task, one place for the checklist and Today's tasks dialog:
 * hand a tier-1 step to the product, approve (send) a tier-2 step, mark a step done, or skip it
 * with a note. Each says what happened in a toast, in plain words.
 */
import type { PlaybookTask } from '../../shared/dto/playbooks.ts';
import { api } from '../api/client.ts';
import { toast } from '../ui/Toast.tsx';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Sends a tier-2 step's email; true when it went (or was queued) without an error. */
export async function approveTask(task: PlaybookTask, { quiet = false } = {}): Promise<boolean> {
  try {
    const { mail, flushed } = await api.call('tasks.approve', { taskId: task.taskId });
    const to = mail.to.map((a) => a.name ?? a.email).join(', ');
    if (!quiet)
      toast(
        mail.status === 'sent'
          ? { tone: 'success', title: `Sent to ${to}`, description: mail.subject }
          : {
              tone: 'info',
              title: `Queued for ${to}`,
              description: mail.last_error ?? flushed.problem ?? 'It is sent on the next attempt.',
            },
      );
    return true;
  } catch (error) {
    toast({ tone: 'error', title: `Could not send “${task.title}”`, description: message(error) });
    return false;
  }
}

export async function handToProduct(task: PlaybookTask): Promise<void> {
  try {
    await api.call('tasks.handToProduct', { taskId: task.taskId });
    toast({ tone: 'success', title: 'Handed to the product', description: task.title });
  } catch (error) {
    toast({ tone: 'error', title: 'Could not hand the step to the product', description: message(error) });
  }
}

export async function markDone(task: PlaybookTask): Promise<void> {
  try {
    await api.call('tasks.done', { taskId: task.taskId });
    toast({ tone: 'success', title: 'Step done', description: task.title });
  } catch (error) {
    toast({ tone: 'error', title: 'Could not mark the step done', description: message(error) });
  }
}

export async function skipTask(task: PlaybookTask, note: string): Promise<boolean> {
  try {
    await api.call('tasks.skip', { taskId: task.taskId, note });
    toast({ tone: 'success', title: 'Step skipped', description: task.title });
    return true;
  } catch (error) {
    toast({ tone: 'error', title: 'Could not skip the step', description: message(error) });
    return false;
  }
}
