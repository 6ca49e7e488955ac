// A long job the user may cancel (a report export, a bundle export or import): its id while it runs,
// which the core's `cancel_job` names, and whether a cancel has been asked for. One place for what
// every Cancel button does.
import * as api from "./api";
import type { ApiError } from "./api";

export class CancellableJob {
  /** The running job's id, while there is one. */
  id = $state<string | null>(null);
  /** A cancel was asked for and the job has not stopped yet. */
  cancelling = $state(false);

  /** Starts a job of `kind`: its id, to pass to the command that does the work. */
  start(kind: string): string {
    this.cancelling = false;
    this.id = api.newJobId(kind);
    return this.id;
  }

  /** The job has ended, however it ended. */
  finish(): void {
    this.id = null;
    this.cancelling = false;
  }

  /** Asks the core to stop the job (it then rejects with code "cancelled"); the error if asking failed. */
  async cancel(): Promise<ApiError | null> {
    if (!this.id) return null;
    this.cancelling = true;
    try {
      await api.cancelJob(this.id);
      return null;
    } catch (err) {
      this.cancelling = false;
      return api.toApiError(err);
    }
  }
}
