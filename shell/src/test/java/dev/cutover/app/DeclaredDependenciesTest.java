package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every library the shell declares for compilation is referenced by its classes (jdeps says which
 * jars our bytecode reaches). A jar nobody calls is weight in the release archive and one more
 * thing to patch; a provider found by ServiceLoader belongs in runtime scope, where this test does
 * not look.
 */
class DeclaredDependenciesTest {
    @Test
    void everyCompileScopeDependencyIsReferencedByOurClasses() throws Exception {
        Map<String, Path> declared = compileScopeJars();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("jdeps: run the tests on a JDK"));
        StringWriter out = new StringWriter();
        String classpath = String.join(java.io.File.pathSeparator, declared.values().stream().map(Path::toString).toList());
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-summary", "--multi-release", "17", "-cp", classpath, "target/classes");
        assertEquals(0, exit, out.toString());
        List<String> unused = new ArrayList<>();
        declared.forEach((artifact, jar) -> {
            if (!out.toString().contains(jar.toString())) unused.add(artifact);
        });
        assertEquals(List.of(), unused, "declared in shell/pom.xml but never referenced by our classes:\n" + out);
    }

    /** groupId:artifactId of each compile-scope dependency of shell/pom.xml, with its jar on the test classpath. */
    private static Map<String, Path> compileScopeJars() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element dependencies = (Element) pom.getDocumentElement().getElementsByTagName("dependencies").item(0);
        NodeList deps = dependencies.getElementsByTagName("dependency");
        List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        Map<String, Path> jars = new LinkedHashMap<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String scope = text(d, "scope");
            if (scope != null && !scope.equals("compile")) continue;
            // A pom-type dependency is an aggregate of jars (junixsocket-core: pgjdbc loads its socket factory by name).
            if ("pom".equals(text(d, "type"))) continue;
            String group = text(d, "groupId");
            String artifact = text(d, "artifactId");
            String dir = "/" + group.replace('.', '/') + "/" + artifact + "/";
            Path jar = classpath.stream().filter(p -> p.contains(dir) && p.endsWith(".jar")).map(Path::of).findFirst()
                    .orElseThrow(() -> new AssertionError(group + ":" + artifact + " is not on the test classpath"));
            jars.put(group + ":" + artifact, jar);
        }
        assertTrue(jars.size() >= 5, "read the dependencies of shell/pom.xml: " + jars);
        assertTrue(Files.isDirectory(Path.of("target/classes")));
        return jars;
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }
}
