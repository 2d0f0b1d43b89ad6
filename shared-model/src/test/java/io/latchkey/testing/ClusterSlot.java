package io.latchkey.testing;

import java.nio.charset.StandardCharsets;

/** Redis Cluster's key-to-slot function (CRC16/XMODEM of the hash tag, mod 16384), for key-schema tests. */
public final class ClusterSlot {

    private ClusterSlot() {
    }

    public static int of(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % 16384;
    }
}
