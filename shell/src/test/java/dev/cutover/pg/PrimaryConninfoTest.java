package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrimaryConninfoTest {
    // What pg_basebackup 15 -R wrote for a 9.6 standby in the lab.
    private static final String FROM_15 = "user=postgres passfile='/var/lib/postgresql/.pgpass' channel_binding=prefer host=127.0.0.1 port=5520 "
            + "sslmode=prefer sslcompression=0 sslsni=1 ssl_min_protocol_version=TLSv1.2 gssencmode=prefer krbsrvname=postgres target_session_attrs=any";

    @Test
    void keepsOnlyWhatTheStandbysLibpqKnows() {
        assertEquals("user=postgres host=127.0.0.1 port=5520 sslmode=prefer sslcompression=0 krbsrvname=postgres",
                PrimaryConninfo.forVersion(FROM_15, new PgVersion(90624)));
        assertEquals(FROM_15, PrimaryConninfo.forVersion(FROM_15, new PgVersion(150010)));
        assertEquals("user=postgres passfile='/var/lib/postgresql/.pgpass' host=127.0.0.1 port=5520 sslmode=prefer sslcompression=0 "
                + "gssencmode=prefer krbsrvname=postgres target_session_attrs=any", PrimaryConninfo.forVersion(FROM_15, new PgVersion(120000)));
    }

    @Test
    void quotedValuesWithSpacesAndQuotesStayWhole() {
        assertEquals("password='a b\\'c' host=h", PrimaryConninfo.forVersion("password='a b\\'c' sslsni=1 host=h", new PgVersion(130000)));
    }
}
