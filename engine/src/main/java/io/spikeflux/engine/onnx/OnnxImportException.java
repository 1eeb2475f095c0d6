package io.spikeflux.engine.onnx;

/** A model that cannot be imported; the message is one line a user can act on. */
public final class OnnxImportException extends RuntimeException {
    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
