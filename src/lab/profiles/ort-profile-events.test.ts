import { describe, expect, it } from 'vitest';
import { ortKernelTimings, parseOrtTrace } from './ort-profile-events';

// Shaped like what onnxruntime-web 1.30 printed here for the Fashion CNN (trimmed args).
const trace = [
  '[',
  '{"cat" : "Session","pid" :42,"tid" :1,"dur" :47687,"ts" :324,"ph" : "X","name" :"model_loading_array","args" : {}},',
  '{"cat" : "Session","pid" :42,"tid" :1,"dur" :100,"ts" :1000,"ph" : "X","name" :"model_run","args" : {}},',
  '{"cat" : "Node","pid" :42,"tid" :1,"dur" :40,"ts" :1010,"ph" : "X","name" :"conv1/Conv_kernel_time","args" : {"op_name" : "FusedConv"}},',
  '{"cat" : "Session","pid" :42,"tid" :1,"dur" :100,"ts" :2000,"ph" : "X","name" :"model_run","args" : {}},',
  '{"cat" : "Node","pid" :42,"tid" :1,"dur" :30,"ts" :2010,"ph" : "X","name" :"conv1/Conv_kernel_time","args" : {"op_name" : "FusedConv"}},',
  '{"cat" : "Node","pid" :42,"tid" :1,"dur" :1,"ts" :2009,"ph" : "X","name" :"conv1/Conv_fence_before","args" : {"op_name" : "FusedConv"}},',
  '{"cat" : "Node","pid" :42,"tid" :1,"dur" :20,"ts" :2050,"ph" : "X","name" :"fc/Gemm_kernel_time","args" : {"op_name" : "Gemm"}},',
  ']',
];

describe('ORT trace parsing', () => {
  it('reads one event per line and skips the rest', () => {
    const events = parseOrtTrace([...trace, 'some warning', trace.join('\n')]);
    expect(events).toHaveLength(14);
    expect(events[2]).toMatchObject({ cat: 'Node', name: 'conv1/Conv_kernel_time', ts: 1010, dur: 40 });
  });

  it('keeps only kernel events inside the last runs, in ms, by operator type', () => {
    const events = parseOrtTrace(trace);
    expect(ortKernelTimings(events, 1)).toEqual({ runs: 1, timings: [{ name: 'FusedConv', ms: 0.03 }, { name: 'Gemm', ms: 0.02 }] });
    expect(ortKernelTimings(events, 5).runs).toBe(2);
    expect(ortKernelTimings(events, 5).timings).toHaveLength(3);
  });
});
