package dev.keyscope.elasticsearch;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts one genuine Elasticsearch node (the server jar from Maven Central plus the
 * netty4 HTTP transport) on loopback, for tests and `npm run dev:es`.
 *
 * Usage: SingleNode <home-dir> <http-port> <transport-port>
 *
 * The node stops when its stdin closes, so it never outlives the process that started it
 * (a killed test runner leaves no orphan JVM), and on SIGTERM/SIGINT.
 */
public final class SingleNode {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SingleNode <home-dir> <http-port> <transport-port>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
            .put("cluster.name", "keyscope-local")
            .put("node.name", "keyscope-local-0")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[1])
            .put("transport.port", args[2])
            .put("discovery.type", "single-node")
            // A throw-away node on a shared disk: never flip indices read-only at 95% full.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        LogConfigurator.configureWithoutConfig(settings);
        LogConfigurator.configureESLogging();

        Node node = new ClasspathNode(new Environment(settings, home.resolve("config")), List.of(Netty4Plugin.class));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node), "keyscope-es-shutdown"));
        node.start();
        System.out.println("keyscope-elasticsearch: started http://127.0.0.1:" + args[1]);
        System.out.flush();

        waitForStdinToClose(System.in);
        System.exit(0);
    }

    private static void waitForStdinToClose(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Input is ignored; only end-of-stream matters.
            }
        } catch (IOException ignored) {
            // A broken pipe means the parent is gone: stop as for end-of-stream.
        }
    }

    private static void close(Node node) {
        try {
            node.close();
            node.awaitClose(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("keyscope-elasticsearch: error while stopping: " + e);
        }
    }
}
