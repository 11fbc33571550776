import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntakeSession, type IntakeWorkerLike, k_read_silence_ms } from './intake-client';
import type { FromIntake, ToIntake } from './intake-protocol';
import { UserInputError } from './user-model-error';

afterEach(() => vi.useRealTimers());

/** A worker that answers each request with `reply` (or never, or by crashing). */
function fakeWorker(reply: (m: ToIntake, self: IntakeWorkerLike) => FromIntake | 'silent' | 'crash'): { worker: IntakeWorkerLike; terminated: () => boolean } {
  let terminated = false;
  const worker: IntakeWorkerLike = {
    onmessage: null,
    onerror: null,
    terminate: () => {
      terminated = true;
    },
    postMessage(message) {
      const answer = reply(message, worker);
      if (answer === 'silent') return;
      queueMicrotask(() => {
        if (answer === 'crash') worker.onerror?.({ message: 'RangeError: Array buffer allocation failed', preventDefault: () => undefined } as ErrorEvent);
        else worker.onmessage?.({ data: answer } as MessageEvent<FromIntake>);
      });
    },
  };
  return { worker, terminated: () => terminated };
}

const file = { name: 'm.onnx', bytes: new Uint8Array(8) };

describe('IntakeSession', () => {
  it('stops a worker that stays silent while reading, and calls the file damaged', async () => {
    vi.useFakeTimers();
    const fake = fakeWorker(() => 'silent');
    const read = new IntakeSession(() => fake.worker).read([file], {});
    const settled = expect(read).rejects.toThrow(new UserInputError('corrupt', `Stopped reading m.onnx: the worker was silent for ${k_read_silence_ms / 1000} s (a damaged file can send a decoder into a loop); m.onnx is probably damaged`));
    await vi.advanceTimersByTimeAsync(k_read_silence_ms + 1);
    await settled;
    expect(fake.terminated()).toBe(true);
  });

  it('turns a worker crash while reading into a clear failure', async () => {
    const fake = fakeWorker(() => 'crash');
    await expect(new IntakeSession(() => fake.worker).read([file], {})).rejects.toThrow('The worker reading the model crashed: RangeError: Array buffer allocation failed; m.onnx is probably damaged');
  });

  it('passes a typed problem from the worker through', async () => {
    const fake = fakeWorker(() => ({ type: 'failed', error: { problem: 'not-a-model', message: 'm.onnx is not an ONNX model: it looks like a PNG image' } }));
    const error = await new IntakeSession(() => fake.worker).read([file], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect(error).toMatchObject({ problem: 'not-a-model' });
  });
});
