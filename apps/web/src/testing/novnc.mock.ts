// Jest stand-in for @novnc/novnc (jest.config maps the module here): noVNC is ESM with a top-level
// await that jest cannot load, and unit tests need no VNC server. Tests drive it through `instances`.
export default class MockRFB extends EventTarget {
  static instances: MockRFB[] = [];
  background = '';
  capabilities = { power: false };
  clippingViewport = false;
  clipViewport = false;
  compressionLevel = 2;
  dragViewport = false;
  focusOnClick = true;
  qualityLevel = 6;
  resizeSession = false;
  scaleViewport = false;
  showDotCursor = false;
  viewOnly = false;
  readonly pasted: string[] = [];
  ctrlAltDelCount = 0;
  disconnected = false;

  constructor(
    readonly target: HTMLElement,
    readonly url: string,
    readonly options?: { credentials?: { password?: string } },
  ) {
    super();
    MockRFB.instances.push(this);
  }

  /** Test helper: fires an RFB event as noVNC would. */
  fire(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Names of the methods called, in order, for assertions. */
  readonly calls: string[] = [];

  approveServer(): void {
    this.calls.push('approveServer');
  }
  blur(): void {
    this.calls.push('blur');
  }
  focus(): void {
    this.calls.push('focus');
  }
  sendCredentials(): void {
    this.calls.push('sendCredentials');
  }
  sendKey(): void {
    this.calls.push('sendKey');
  }
  clipboardPasteFrom(text: string): void {
    this.pasted.push(text);
  }
  sendCtrlAltDel(): void {
    this.ctrlAltDelCount++;
  }
  disconnect(): void {
    if (this.disconnected) return;
    this.disconnected = true;
    this.fire('disconnect', { clean: true });
  }
  getImageData(): ImageData {
    return { data: new Uint8ClampedArray(4), width: 1, height: 1 } as ImageData;
  }
  toDataURL(): string {
    return '';
  }
}
