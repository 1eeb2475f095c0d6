package io.spikeflux.cli;

import io.spikeflux.live.LiveEngine;
import io.spikeflux.view.web.LiveView;
import io.spikeflux.view.web.LiveWebServer;
import picocli.CommandLine.Option;

import java.util.List;

/** The live web view's options, shared by {@code live} and {@code demo}. */
final class WebViewOptions {

    @Option(names = "--http", paramLabel = "PORT",
            description = "Serve the live web view (event frames, class shares, decisions, counters) on this port, "
                    + "with Prometheus metrics at /metrics and /health (0 picks a free port).")
    Integer port;

    @Option(names = "--http-bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address the web view listens on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface).")
    String bind;

    boolean enabled() {
        return port != null;
    }

    /** The view to feed, or null without --http. */
    LiveView view(List<String> classNames) {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("--http " + port + ": not a port number (0 to 65535)");
        }
        return port == null ? null : new LiveView(classNames);
    }

    /** Connects the view to its session and serves it; prints where. */
    static LiveWebServer serve(LiveView view, LiveEngine session, WebViewOptions o) {
        view.attach(session);
        LiveWebServer server = LiveWebServer.start(view, o.bind, o.port);
        System.err.printf("web view: %s  (metrics: %smetrics)%n", server.url(), server.url());
        return server;
    }
}
