// zeromq v6 allows one pending send per socket (a second one fails with EBUSY),
// so every outgoing message goes through a FIFO that sends one at a time.
export interface SendableSocket {
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  private readonly pending: Buffer[][] = [];
  private pumping: Promise<void> | null = null;

  constructor(
    private readonly socket: SendableSocket,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(frames: Buffer[]): void {
    this.pending.push(frames);
    if (!this.pumping) this.pumping = this.pump();
  }

  /** Resolves once everything queued so far has been handed to ZeroMQ. */
  async drained(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    try {
      for (let frames = this.pending.shift(); frames; frames = this.pending.shift()) {
        try {
          await this.socket.send(frames);
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.pumping = null;
    }
  }
}
