package dev.cutover.pg;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import javax.net.SocketFactory;

/**
 * pgjdbc's sockets for PgBouncer console connections ({@code socketFactory} property): their
 * startup packet carries only parameters every PgBouncer accepts, so the console works on a stock
 * pgbouncer.ini without {@code ignore_startup_parameters = extra_float_digits}.
 */
public final class ConsoleSocketFactory extends SocketFactory {
    /** What PgBouncer itself tracks (1.7 onwards) plus who and where: anything else it may refuse. */
    static final Set<String> KEPT = Set.of("user", "database", "client_encoding", "DateStyle", "TimeZone",
            "standard_conforming_strings", "application_name");

    /** pgjdbc instantiates it by class name, with this constructor. */
    public ConsoleSocketFactory() {
    }

    @Override
    public Socket createSocket() {
        return new ConsoleSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = new ConsoleSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = new ConsoleSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }

    private static Socket connected(InetSocketAddress to) throws IOException {
        Socket s = new ConsoleSocket();
        s.connect(to);
        return s;
    }

    /** A plain TCP socket whose output goes through the startup-packet filter. */
    private static final class ConsoleSocket extends Socket {
        private OutputStream filtered;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (filtered == null) filtered = new StartupParameterFilter(super.getOutputStream(), KEPT);
            return filtered;
        }
    }
}
