package dev.cutover.pg;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The bytes a client sends, with its startup packet cut down to the parameters a PgBouncer console
 * accepts. pgjdbc 42.7.4 always sends {@code extra_float_digits} at startup and has no setting to
 * leave it out; PgBouncer refuses every parameter it does not track unless
 * {@code ignore_startup_parameters} lists it, which a stock pgbouncer.ini does not.
 * Only the plain-text startup packet is rewritten: SSLRequest and GSSENCRequest pass as they are,
 * and once anything else starts (a TLS handshake) every byte passes untouched.
 */
final class StartupParameterFilter extends FilterOutputStream {
    private static final int PROTOCOL_3_0 = 3 << 16;
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private final Set<String> kept;
    /** Bytes held back until the startup packet is complete; null once it has gone out. */
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();

    StartupParameterFilter(OutputStream out, Set<String> kept) {
        super(out);
        this.kept = kept;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (pending == null) {
            out.write(b, off, len);
            return;
        }
        pending.write(b, off, len);
        drain();
    }

    private void drain() throws IOException {
        while (pending != null) {
            byte[] buf = pending.toByteArray();
            if (buf.length < 8) return;
            int length = int32(buf, 0);
            int code = int32(buf, 4);
            if ((code == SSL_REQUEST || code == GSSENC_REQUEST) && length == 8) {
                out.write(buf, 0, 8);
                pending = new ByteArrayOutputStream();
                pending.write(buf, 8, buf.length - 8);
                continue;
            }
            if (code != PROTOCOL_3_0 || length < 9) {
                passThrough(buf);
                return;
            }
            if (buf.length < length) return;
            out.write(rewrite(java.util.Arrays.copyOf(buf, length), kept));
            out.write(buf, length, buf.length - length);
            pending = null;
        }
    }

    private void passThrough(byte[] buf) throws IOException {
        out.write(buf);
        pending = null;
    }

    /** A protocol 3.0 startup packet with only the {@code kept} parameters. */
    static byte[] rewrite(byte[] packet, Set<String> kept) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int i = 8;
        while (i < packet.length && packet[i] != 0) {
            int keyEnd = nul(packet, i);
            int valueEnd = nul(packet, keyEnd + 1);
            String key = new String(packet, i, keyEnd - i, StandardCharsets.UTF_8);
            if (kept.contains(key)) body.write(packet, i, valueEnd + 1 - i);
            i = valueEnd + 1;
        }
        body.write(0);
        byte[] b = body.toByteArray();
        byte[] result = new byte[8 + b.length];
        putInt32(result, 0, result.length);
        System.arraycopy(packet, 4, result, 4, 4);
        System.arraycopy(b, 0, result, 8, b.length);
        return result;
    }

    private static int nul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == 0) return i;
        throw new IllegalArgumentException("startup packet: a parameter is not NUL-terminated");
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void putInt32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
