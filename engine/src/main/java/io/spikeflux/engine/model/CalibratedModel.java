package io.spikeflux.engine.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationSettings;
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
                        .setWallS(calibration.wallSeconds()));
        List<NeuralLayer> layers = topology.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerThreshold.Builder t = LayerThreshold.newBuilder().setLayer(layers.get(i).name()).setThreshold(p.threshold(i));
            float[] channels = p.channelScale(i);
            if (channels != null) {
                for (float c : channels) {
                    t.addChannelScale(c);
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
        Network network = OnnxImporter.importBytes(proto.getOnnxModel().toByteArray(), proto.getName());
        SpikingTopology topology = new SpikingTopology(network);
        List<NeuralLayer> layers = topology.layers();
        float[] vth = new float[layers.size()];
        float[][] channelScale = new float[layers.size()][];
        Arrays.fill(vth, Float.NaN);
        for (LayerThreshold t : proto.getThresholdsList()) {
            int i = topology.indexOf(t.getLayer());
            if (i < 0) {
                throw new IllegalArgumentException(file + ": threshold for unknown layer '" + t.getLayer() + "'");
            }
            vth[i] = t.getThreshold();
            if (t.getChannelScaleCount() > 0) {
                if (!topology.channelWiseEligible(i)) {
                    throw new IllegalArgumentException(file + ": layer '" + t.getLayer() + "' has channel scales but "
                            + "cannot be normalised channel-wise");
                }
                channelScale[i] = new float[t.getChannelScaleCount()];
                for (int c = 0; c < channelScale[i].length; c++) {
                    channelScale[i][c] = t.getChannelScale(c);
                }
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
                new SnnParameters(vth, reset, proto.getInitialMembraneFraction(), biasScale, channelScale));
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
