// The part of @thaunknown/simple-peer's lite build that rtc.ts uses. The package ships no types;
// everything it emits is typed `unknown` here and validated in rtc.ts before use.

declare module '@thaunknown/simple-peer/lite.js' {
  export interface SimplePeerOptions {
    initiator: boolean;
    trickle: boolean;
    config: RTCConfiguration;
    channelConfig?: RTCDataChannelInit;
    /** Wait this long for the last ICE candidate before giving up on more (ms). */
    iceCompleteTimeout?: number;
  }

  export default class SimplePeer {
    constructor(opts: SimplePeerOptions);
    readonly connected: boolean;
    /** RTCDataChannel.bufferedAmount, 0 before the channel exists. */
    readonly bufferSize: number;
    readonly destroyed: boolean;
    on(
      event: 'signal' | 'data' | 'error' | 'iceStateChange',
      listener: (value: unknown) => void,
    ): this;
    on(event: 'connect' | 'close' | 'disconnect', listener: () => void): this;
    signal(data: object): void;
    send(data: Uint8Array): void;
    destroy(): void;
    getStats(cb: (err: unknown, reports: unknown[]) => void): void;
  }
}
