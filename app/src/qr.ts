// QR decoding with jsQR (pure JavaScript, loaded only when something is scanned): from a picked
// image file, or from frames of the camera stream.

type JsQr = typeof import('jsqr').default;
let decoder: Promise<JsQr> | undefined;
const jsQR = () => (decoder ??= import('jsqr').then((mod) => mod.default));

/** Loads the decoder ahead of need (main.ts: so the service worker caches it for offline use). */
export const preload = () => void jsQR().catch(() => (decoder = undefined));

function pixels(source: CanvasImageSource, width: number, height: number): ImageData {
  // Large photos are scaled down: jsQR's time grows with the pixel count.
  const scale = Math.min(1, 1600 / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

export async function decodeImageData(data: ImageData): Promise<string | undefined> {
  return (await jsQR())(data.data, data.width, data.height, { inversionAttempts: 'attemptBoth' })?.data || undefined;
}

export async function decodeFile(file: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  try {
    return await decodeImageData(pixels(bitmap, bitmap.width, bitmap.height));
  } finally {
    bitmap.close();
  }
}

export async function decodeVideoFrame(video: HTMLVideoElement): Promise<string | undefined> {
  if (video.readyState < 2 || video.videoWidth === 0) return undefined;
  return decodeImageData(pixels(video, video.videoWidth, video.videoHeight));
}
