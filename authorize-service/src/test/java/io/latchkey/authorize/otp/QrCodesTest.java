package io.latchkey.authorize.otp;

import static org.assertj.core.api.Assertions.assertThat;

import io.nayuki.qrcodegen.QrCode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class QrCodesTest {

    @Test
    void svgOfAnOtpauthUriIsOneXmlPathWithTheModulesOfItsVersionAndAQuietZone() throws Exception {
        String uri = Totp.otpauthUri("Latchkey", "alice@example.com", new byte[20]);
        QrCode expected = QrCode.encodeText(uri, QrCode.Ecc.MEDIUM);
        String svg = QrCodes.svg(uri, "QR code \"for\" <alice> & co");

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Element root = document.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getAttribute("role")).isEqualTo("img");
        assertThat(root.getAttribute("aria-label")).isEqualTo("QR code \"for\" <alice> & co");
        assertThat(root.hasAttribute("style")).isFalse();
        int side = expected.size + 8;
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 " + side + " " + side);
        assertThat(document.getElementsByTagNameNS("*", "path").getLength()).isEqualTo(1);

        // Every dark module once, each inside the quiet zone's border of 4.
        String d = ((Element) document.getElementsByTagNameNS("*", "path").item(0)).getAttribute("d");
        Matcher module = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(d);
        int count = 0;
        int dark = 0;
        for (int y = 0; y < expected.size; y++) {
            for (int x = 0; x < expected.size; x++) {
                dark += expected.getModule(x, y) ? 1 : 0;
            }
        }
        while (module.find()) {
            int x = Integer.parseInt(module.group(1));
            int y = Integer.parseInt(module.group(2));
            assertThat(x).isBetween(4, side - 5);
            assertThat(y).isBetween(4, side - 5);
            assertThat(expected.getModule(x - 4, y - 4)).isTrue();
            count++;
        }
        assertThat(count).isEqualTo(dark);
        // The URI of a 20-byte secret needs version 8 at level M in byte mode (7 holds 122):
        // 17 + 4 * 8 = 49 modules a side, 57 with the quiet zone.
        assertThat(uri.length()).isBetween(123, 154);
        assertThat(expected.version).isEqualTo(8);
        assertThat(side).isEqualTo(57);
    }
}
