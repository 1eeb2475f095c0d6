package io.spikeflux.cli;

import io.spikeflux.engine.exec.ProgressListener;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr with rate and time left; silent when stderr is not a
 * terminal (CI logs, pipes) unless forced.
 */
final class ProgressBar implements ProgressListener {

    private final String label;
    private final PrintStream out;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private volatile String phase = "";

    ProgressBar(String label, boolean force) {
        this.label = label;
        this.out = System.err;
        this.enabled = force || System.console() != null;
    }

    @Override
    public synchronized void progress(int done, int total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        double rate = done / Math.max(elapsed, 1e-9);
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        double left = rate > 0 ? (total - done) / rate : 0;
        out.printf("\r%s%s [%s] %d/%d %.1f/s %s left ", label, phase, bar, done, total, rate, duration(left));
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    @Override
    public void phase(String name) {
        phase = " " + name;
    }

    private static String duration(double s) {
        long sec = Math.round(s);
        return sec >= 60 ? sec / 60 + "m" + String.format("%02d", sec % 60) + "s" : sec + "s";
    }
}
