/** Plain-language notes beside each metric: what it means, and why precision or backend can move it. */
export const METRIC_NOTES = Object.freeze({
  flipRate:
    'Flip rate: the share of rows where this configuration picks a different class than the FP32 reference. Any flip is a changed decision for a real person; reduced precision (FP16, INT8) nudges scores, and rows near the decision boundary flip first.',
  absDp:
    '|Δp|: how far the predicted probability moved from the reference. Engines that differ only in the order they add numbers move it by about 1e-7; quantization moves it by 1e-3 to 1e-2.',
  accuracy:
    'Accuracy: the share of rows predicted correctly against the true label. The gap between the best and the worst slice shows who the model serves less well; a new configuration can widen it without moving the overall number.',
  ece: 'Calibration error (ECE): how far the stated confidence is from the actual hit rate. 0.05 means "80% sure" is right about 75% or 85% of the time. Quantization can make a model over- or under-confident.',
  positiveRate: 'Positive rate: how often the model predicts the positive class in a slice (for this model: wage above the median). Differences between slices are a common fairness measure.',
  fairness:
    'Base rate: how often the true label is positive in a slice (a property of the data). True-positive rate: of the rows whose label is positive, the share the model predicts positive; equal opportunity asks it to be the same in every slice. False-positive rate: the same for rows whose label is negative; equalised odds asks both rates to match. Accuracy drop: how many points below the FP32 reference this configuration scores on the same rows.',
  attribution:
    'Attribution drift: explanations (KernelSHAP values per feature) computed the same way on this configuration and on the reference. Rank correlation 1 means the same features matter in the same order; top-k overlap is the share of the k most important features they share.',
  intervals: 'Ranges in brackets are 95% bootstrap intervals: a difference inside them may be noise from the sample, not the model.',
});
