package io.lathe.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 fingerprints of data sets and files, used to key stored results and plans. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** Fingerprint of an image set's shape, labels and pixels. */
    public static String of(LabeledImages images) {
        MessageDigest md = sha256();
        ByteBuffer head = ByteBuffer.allocate(16);
        head.putInt(images.channels()).putInt(images.height()).putInt(images.width()).putInt(images.size());
        md.update(head.array());
        ByteBuffer buf = ByteBuffer.allocate(4 * 4096);
        for (int l : images.labels()) {
            if (!buf.hasRemaining()) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putInt(l);
        }
        md.update(buf.array(), 0, buf.position());
        buf.clear();
        for (float p : images.pixels()) {
            if (!buf.hasRemaining()) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(p);
        }
        md.update(buf.array(), 0, buf.position());
        return HexFormat.of().formatHex(md.digest());
    }

    /** Fingerprint of raw bytes. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
