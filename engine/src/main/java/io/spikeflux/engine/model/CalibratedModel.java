package io.spikeflux.engine.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.Correction;
import io.spikeflux.engine.encode.InputCoding;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingTopology;
import io.spikeflux.proto.CalibrationRecord;
import io.spikeflux.proto.InputKind;
import io.spikeflux.proto.LayerThreshold;
import io.spikeflux.proto.SnnModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A converted model ready to run: the ONNX network, its neural-layer thresholds and how they were
 * obtained. Saved as the {@code SnnModel} protobuf message ({@code .snn} files).
 */
public final class CalibratedModel {

    public static final int FORMAT_VERSION = 1;
    static final String FILE_KIND = "spikeflux.SnnModel";

    private final SnnModel proto;
    private final Network network;
    private final SpikingTopology topology;
    private final SnnParameters parameters;

    private CalibratedModel(SnnModel proto, Network network, SpikingTopology topology, SnnParameters parameters) {
        this.proto = proto;
        this.network = network;
        this.topology = topology;
        this.parameters = parameters;
    }

    public static CalibratedModel of(byte[] onnxBytes, Network network, SpikingTopology topology, Calibration calibration,
                                     int dtUs, String dataset) {
        return of(onnxBytes, network, topology, calibration, dtUs, dataset, InputCoding.POISSON);
    }

    /** @param coding how the calibration fed frames to the SNN; the default of evaluations of this file */
    public static CalibratedModel of(byte[] onnxBytes, Network network, SpikingTopology topology, Calibration calibration,
                                     int dtUs, String dataset, InputCoding coding) {
        CalibrationSettings s = calibration.settings();
        SnnParameters p = calibration.parameters();
        SnnModel.Builder b = SnnModel.newBuilder()
                .setFileKind(FILE_KIND)
                .setFormatVersion(FORMAT_VERSION)
                .setName(network.name())
                .setOnnxModel(ByteString.copyFrom(onnxBytes))
                .setResetMode(p.reset() == ResetMode.ZERO ? io.spikeflux.proto.ResetMode.RESET_TO_ZERO
                        : io.spikeflux.proto.ResetMode.RESET_BY_SUBTRACTION)
                .setInitialMembraneFraction(p.initialFraction())
                .setInputKind(network.isEventModel() ? InputKind.EVENTS : InputKind.FRAME)
                .setInputChannels(network.inputShape().channels())
                .setInputHeight(network.inputShape().height())
                .setInputWidth(network.inputShape().width())
                .setDtUs(dtUs)
                .setInputCoding(coding.cliName())
                .addAllClassNames(network.classNames())
                .setCalibration(CalibrationRecord.newBuilder()
                        .setMethod(s.method().toString())
                        .setPercentile(s.method().percentile())
                        .setSamples(s.samples())
                        .setCalibrationSteps(s.steps())
                        .setSeed(s.seed())
                        .setResidualMode(s.residual().name().toLowerCase(java.util.Locale.ROOT))
                        .setCalibratedAtUnixMs(System.currentTimeMillis())
                        .setDataset(dataset)
                        .setToolVersion(Version.current())
                        .setWallS(calibration.wallSeconds())
                        .setCorrection(s.correction().cliName())
                        .setCorrectionSteps(s.correctionSteps()));
        List<NeuralLayer> layers = topology.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerThreshold.Builder t = LayerThreshold.newBuilder().setLayer(layers.get(i).name()).setThreshold(p.threshold(i));
            float[] channels = p.channelScale(i);
            if (channels != null) {
                for (float c : channels) {
                    t.addChannelScale(c);
                }
            }
            float[] shift = p.currentShift(i);
            if (shift != null) {
                for (float c : shift) {
                    t.addCurrentShift(c);
                }
            }
            float[] initial = p.initialShift(i);
            if (initial != null) {
                for (float c : initial) {
                    t.addInitialShift(c);
                }
            }
            b.addThresholds(t);
        }
        float[] biasScale = p.biasScale();
        for (int i = 0; i < biasScale.length; i++) {
            if (biasScale[i] != 1f) {
                b.putBiasScale(network.nodes().get(i).name(), biasScale[i]);
            }
        }
        return new CalibratedModel(b.build(), network, topology, p);
    }

    /**
     * Whether a file is a calibrated model rather than a plain ONNX model: commands that take
     * either ({@code inspect}, {@code ann-eval}) look at the content, not the file name.
     */
    public static boolean isCalibratedModel(Path file) {
        try {
            return FILE_KIND.equals(SnnModel.parseFrom(Files.readAllBytes(file)).getFileKind());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The network of an ONNX model or of a calibrated model's embedded ONNX model. */
    public static Network networkOf(Path file) {
        return isCalibratedModel(file) ? load(file).network() : OnnxImporter.importFile(file);
    }

    public static CalibratedModel load(Path file) {
        SnnModel proto;
        try {
            proto = SnnModel.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(file + ": not a SpikeFlux calibrated model (.snn); make one with "
                    + "`spikeflux calibrate`", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!FILE_KIND.equals(proto.getFileKind()) || proto.getOnnxModel().isEmpty()) {
            throw new IllegalArgumentException(file + ": not a SpikeFlux calibrated model (.snn); make one with "
                    + "`spikeflux calibrate`");
        }
        if (proto.getFormatVersion() > FORMAT_VERSION) {
            throw new IllegalArgumentException(file + ": model format " + proto.getFormatVersion()
                    + " is newer than this SpikeFlux understands (" + FORMAT_VERSION + ")");
        }
        Network network;
        try {
            network = OnnxImporter.importBytes(proto.getOnnxModel().toByteArray(), proto.getName());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": its ONNX model: " + e.getMessage(), e);
        }
        SpikingTopology topology = new SpikingTopology(network);
        validateFields(file, proto, network);
        List<NeuralLayer> layers = topology.layers();
        float[] vth = new float[layers.size()];
        float[][] channelScale = new float[layers.size()][];
        float[][] currentShift = new float[layers.size()][];
        float[][] initialShift = new float[layers.size()][];
        Arrays.fill(vth, Float.NaN);
        for (LayerThreshold t : proto.getThresholdsList()) {
            int i = topology.indexOf(t.getLayer());
            if (i < 0) {
                throw new IllegalArgumentException(file + ": threshold for unknown layer '" + t.getLayer() + "'");
            }
            vth[i] = t.getThreshold();
            if (!(vth[i] > 0f) || Float.isInfinite(vth[i])) {
                throw new IllegalArgumentException(file + ": layer '" + t.getLayer() + "' has threshold " + vth[i]
                        + "; thresholds must be positive and finite");
            }
            if (t.getChannelScaleCount() > 0) {
                if (!topology.channelWiseEligible(i)) {
                    throw new IllegalArgumentException(file + ": layer '" + t.getLayer() + "' has channel scales but "
                            + "cannot be normalised channel-wise");
                }
                if (t.getChannelScaleCount() != network.shapeOf(layers.get(i).inputValue()).channels()) {
                    throw new IllegalArgumentException(file + ": layer '" + t.getLayer() + "' has "
                            + t.getChannelScaleCount() + " channel scales for "
                            + network.shapeOf(layers.get(i).inputValue()).channels() + " channels");
                }
                for (float f : t.getChannelScaleList()) {
                    if (!(f > 0f) || Float.isInfinite(f)) {
                        throw new IllegalArgumentException(file + ": layer '" + t.getLayer() + "' has channel scale " + f
                                + "; channel scales must be positive and finite");
                    }
                }
                channelScale[i] = new float[t.getChannelScaleCount()];
                for (int c = 0; c < channelScale[i].length; c++) {
                    channelScale[i][c] = t.getChannelScale(c);
                }
            }
            if (t.getCurrentShiftCount() > 0) {
                currentShift[i] = perChannel(file, t.getLayer(), "current shifts", t.getCurrentShiftList(),
                        topology.currentShiftChannels(i));
            }
            if (t.getInitialShiftCount() > 0) {
                var shape = network.shapeOf(layers.get(i).inputValue());
                initialShift[i] = perChannel(file, t.getLayer(), "initial membrane shifts", t.getInitialShiftList(),
                        shape.isFlat() ? shape.size() : shape.channels());
            }
        }
        for (int i = 0; i < vth.length; i++) {
            if (Float.isNaN(vth[i])) {
                throw new IllegalArgumentException(file + ": no threshold for layer '" + layers.get(i).name() + "'");
            }
        }
        float[] biasScale = new float[network.nodes().size()];
        for (int i = 0; i < biasScale.length; i++) {
            Node n = network.nodes().get(i);
            biasScale[i] = proto.getBiasScaleOrDefault(n.name(), 1f);
        }
        ResetMode reset = proto.getResetMode() == io.spikeflux.proto.ResetMode.RESET_BY_SUBTRACTION
                ? ResetMode.SUBTRACT : ResetMode.ZERO;
        return new CalibratedModel(proto, network, topology,
                new SnnParameters(vth, reset, proto.getInitialMembraneFraction(), biasScale, channelScale, currentShift,
                        initialShift));
    }

    /** One finite value per channel of a layer that takes them ({@code channels < 0}: it takes none). */
    private static float[] perChannel(Path file, String layer, String what, List<Float> values, int channels) {
        if (channels < 0 || values.size() != channels) {
            throw new IllegalArgumentException(file + ": layer '" + layer + "' has " + values.size() + " " + what
                    + "; it takes " + Math.max(channels, 0));
        }
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = values.get(c);
            if (!Float.isFinite(out[c])) {
                throw new IllegalArgumentException(file + ": layer '" + layer + "' has " + what + " " + out[c]
                        + "; they must be finite");
            }
        }
        return out;
    }

    /** The fields that are not thresholds: in range and consistent with the model's graph. */
    private static void validateFields(Path file, SnnModel proto, Network network) {
        String where = file + ": ";
        if (Integer.toUnsignedLong(proto.getDtUs()) > 1_000_000) {
            throw new IllegalArgumentException(where + "dt_us " + Integer.toUnsignedString(proto.getDtUs())
                    + " is not a time step (1 µs to 1 s)");
        }
        try {
            Correction.parse(proto.getCalibration().getCorrection());
        } catch (IllegalArgumentException e) {
            // the file's text goes into a one-line error: no control characters
            throw new IllegalArgumentException(where + "calibration.correction: " + e.getMessage().replaceAll("\\p{Cntrl}", "?"));
        }
        float f = proto.getInitialMembraneFraction();
        if (!(f >= 0f && f < 1f)) {
            throw new IllegalArgumentException(where + "initial_membrane_fraction " + f + " is not in [0, 1)");
        }
        var reset = proto.getResetMode();
        if (reset != io.spikeflux.proto.ResetMode.RESET_TO_ZERO && reset != io.spikeflux.proto.ResetMode.RESET_BY_SUBTRACTION) {
            throw new IllegalArgumentException(where + "reset_mode " + proto.getResetModeValue()
                    + " is neither reset to zero nor by subtraction");
        }
        var in = network.inputShape();
        if ((proto.getInputChannels() != 0 && proto.getInputChannels() != in.channels())
                || (proto.getInputHeight() != 0 && proto.getInputHeight() != in.height())
                || (proto.getInputWidth() != 0 && proto.getInputWidth() != in.width())) {
            throw new IllegalArgumentException(where + "input " + proto.getInputChannels() + "x" + proto.getInputHeight()
                    + "x" + proto.getInputWidth() + " contradicts its ONNX model's " + in);
        }
        boolean events = proto.getInputKind() == InputKind.EVENTS;
        if (proto.getInputKind() != InputKind.INPUT_KIND_UNSPECIFIED && events != network.isEventModel()) {
            throw new IllegalArgumentException(where + "input_kind " + proto.getInputKind()
                    + " contradicts its ONNX model's metadata (input = " + network.metadata().get("input") + ")");
        }
        if (!proto.getInputCoding().isEmpty()) {
            try {
                InputCoding.parse(proto.getInputCoding());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
    }

    public void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, proto.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** How frames were fed when this model was calibrated (Poisson for files that do not say). */
    public InputCoding inputCoding() {
        return proto.getInputCoding().isEmpty() ? InputCoding.POISSON : InputCoding.parse(proto.getInputCoding());
    }

    public Network network() {
        return network;
    }

    public SpikingTopology topology() {
        return topology;
    }

    public SnnParameters parameters() {
        return parameters;
    }

    public CalibrationRecord calibration() {
        return proto.getCalibration();
    }

    public int dtUs() {
        return proto.getDtUs() == 0 ? 1000 : proto.getDtUs();
    }
}
