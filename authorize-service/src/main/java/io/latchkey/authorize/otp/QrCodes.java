package io.latchkey.authorize.otp;

import io.nayuki.qrcodegen.QrCode;

/**
 * QR codes as inline SVG, for the enrolment page: one {@code <path>} of dark modules on a light square that includes
 * the 4-module quiet zone (ISO/IEC 18004 §6.3.8), so the code stays scannable on a dark page. Colours are
 * presentation attributes, not inline styles, which the page's Content-Security-Policy forbids.
 */
public final class QrCodes {

    static final int QUIET_ZONE = 4;

    private QrCodes() {
    }

    /** {@code text} at error correction level M; {@code ariaLabel} names the image for screen readers. */
    public static String svg(String text, String ariaLabel) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " + size + " " + size
                + "\" role=\"img\" aria-label=\"" + escape(ariaLabel) + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
