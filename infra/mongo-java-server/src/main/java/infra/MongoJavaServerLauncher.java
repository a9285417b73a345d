package infra;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Runs mongo-java-server as a standalone process for development and integration tests.
 *
 * <p>Usage: {@code MongoJavaServerLauncher <host> <port> [h2-file]}. Without a file the data lives in memory
 * and is gone when the process stops; with one it survives restarts, which restart tests rely on.
 */
public final class MongoJavaServerLauncher {

    private MongoJavaServerLauncher() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: MongoJavaServerLauncher <host> <port> [h2-file]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        MongoBackend backend = args.length == 3 ? new H2Backend(args[2]) : new MemoryBackend();
        // MONGO_5_0 is the newest version the library knows; it reports wire version 8, the oldest that the
        // mongodb driver 6.x accepts. Claiming a newer wire version would make the driver use protocol
        // features (streaming hello, for one) that this server does not implement.
        backend.version(ServerVersion.MONGO_5_0);

        // No oplog: it keeps every write in memory for change streams, which the store does not use (FerretDB has
        // none), and a 100k-event catch-up ran the 512 MiB heap out of memory with it.
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        // shutdownNow closes the backend, which flushes the H2 store: a TERM keeps every acknowledged write,
        // a KILL may lose the last second of them.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-java-server-shutdown"));
        System.out.println("mongo-java-server listening on " + host + ":" + port);
    }
}
