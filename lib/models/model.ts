/**
 * The one interface every model in this package shares (makemore style). First used (not written
 * out) in notebooks/01-autoregressive-contrast.ipynb.
 *
 * A model turns a batch into a loss and named parts; the training loop only needs `forward` and
 * `variables`. Logging and plotting stay out of models.
 */
import * as tf from "@tensorflow/tfjs";

/** What `forward` returns: the scalar loss to minimise, plus any named parts to log or inspect. */
export interface ForwardResult {
  /** Scalar loss to minimise. */
  loss: tf.Scalar;
  /** Named parts: loss terms (scalars) or intermediate tensors. */
  [part: string]: tf.Tensor;
}

/** A trainable model: `forward(batch) -> { loss, ...parts }`. */
export interface Model<Batch = unknown> {
  /** A short name for logs and checkpoints. */
  readonly name: string;
  /** Computes the loss (and parts) on one batch. Called inside `tf.tidy` / `variableGrads`. */
  forward(batch: Batch): ForwardResult;
  /** The trainable variables the optimiser updates. */
  variables(): tf.Variable[];
  /** Every variable to save in a checkpoint (trainable + non-trainable, e.g. an EMA target). Default: variables(). */
  stateVariables?(): tf.Variable[];
  /** Called after each optimiser step (e.g. the EMA target update). */
  afterStep?(step: number): void;
  /** Frees every tensor the model owns. */
  dispose(): void;
}
