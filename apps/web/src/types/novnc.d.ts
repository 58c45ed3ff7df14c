// noVNC 1.7 ships no type declarations: this declares the part of RFB the desktop view uses
// (docs/API.md of @novnc/novnc). The package resolves to core/rfb.js through its "exports".
declare module '@novnc/novnc' {
  export interface RfbCredentials {
    username?: string;
    password?: string;
    target?: string;
  }

  export interface RfbOptions {
    shared?: boolean;
    credentials?: RfbCredentials;
    repeaterID?: string;
    wsProtocols?: string[];
  }

  export interface RfbEventDetails {
    connect: undefined;
    disconnect: { clean: boolean };
    credentialsrequired: { types: string[] };
    securityfailure: { status: number; reason?: string };
    clipboard: { text: string };
    bell: undefined;
    desktopname: { name: string };
    capabilities: { capabilities: { power: boolean } };
    clippingviewport: boolean;
  }

  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, urlOrChannel: string | WebSocket, options?: RfbOptions);
    background: string;
    readonly capabilities: { power: boolean };
    readonly clippingViewport: boolean;
    clipViewport: boolean;
    compressionLevel: number;
    dragViewport: boolean;
    focusOnClick: boolean;
    qualityLevel: number;
    resizeSession: boolean;
    scaleViewport: boolean;
    showDotCursor: boolean;
    viewOnly: boolean;
    approveServer(): void;
    blur(): void;
    clipboardPasteFrom(text: string): void;
    disconnect(): void;
    focus(options?: FocusOptions): void;
    getImageData(): ImageData;
    sendCredentials(credentials: RfbCredentials): void;
    sendCtrlAltDel(): void;
    sendKey(keysym: number, code: string | null, down?: boolean): void;
    toDataURL(type?: string, encoderOptions?: number): string;
    addEventListener<K extends keyof RfbEventDetails>(
      type: K,
      listener: (event: CustomEvent<RfbEventDetails[K]>) => void,
    ): void;
    removeEventListener<K extends keyof RfbEventDetails>(
      type: K,
      listener: (event: CustomEvent<RfbEventDetails[K]>) => void,
    ): void;
  }
}
