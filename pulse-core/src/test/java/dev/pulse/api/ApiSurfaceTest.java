package dev.pulse.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.pulse.error.PulseException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java API's surface (docs/java-api.md#what-is-api): the public types of {@code dev.pulse.api} and
 * {@code dev.pulse.error} mention in their public and protected signatures only each other and the JDK, so that no
 * internal type leaks into what programs compile against; and the surface is the one checked in
 * ({@code src/test/resources/api/signatures.txt}), so that every change to it is a deliberate one, reviewed against
 * the versioning policy. {@code -Dapi.update=true} rewrites the file.
 */
class ApiSurfaceTest {
    static final Set<String> API_PACKAGES = Set.of("dev.pulse.api", "dev.pulse.error");
    private static final Path SIGNATURES = Path.of("src/test/resources/api/signatures.txt");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pulse");
    }

    /** The public types of the API packages, nested public ones included. */
    static List<Class<?>> apiTypes() {
        return classes.stream()
                .filter(c -> API_PACKAGES.contains(c.getPackageName()))
                .map(JavaClass::reflect)
                .filter(ApiSurfaceTest::exported)
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .toList();
    }

    private static boolean exported(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void apiSignaturesMentionOnlyApiAndJdkTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            check(type.getGenericSuperclass(), type.getName() + " extends", leaks);
            for (Type face : type.getGenericInterfaces()) {
                check(face, type.getName() + " implements", leaks);
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) {
                    check(field.getGenericType(), type.getName() + "." + field.getName(), leaks);
                }
            }
            for (Executable executable : executables(type)) {
                String where = type.getName() + "." + executable.getName();
                if (executable instanceof Method method) {
                    check(method.getGenericReturnType(), where + " returns", leaks);
                }
                for (Type parameter : executable.getGenericParameterTypes()) {
                    check(parameter, where + " takes", leaks);
                }
                for (Type thrown : executable.getGenericExceptionTypes()) {
                    check(thrown, where + " throws", leaks);
                }
            }
        }
        assertEquals(List.of(), leaks, "internal types in the Java API's signatures");
    }

    @Test
    void theCheckFindsALeak() {
        List<String> leaks = new ArrayList<>();
        check(dev.pulse.analysis.ExperimentResult.class, "probe", leaks);
        check(java.util.Optional.class.getTypeParameters()[0], "probe", leaks);
        assertEquals(List.of("probe: dev.pulse.analysis.ExperimentResult"), leaks);
        try {
            Method probe = Leaky.class.getMethod("records");
            check(probe.getGenericReturnType(), "probe", leaks);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        assertEquals(2, leaks.size(), "a generic argument is checked too: " + leaks);
    }

    /** What a leak looks like: an internal type as a type argument. */
    interface Leaky {
        List<dev.pulse.analysis.ExperimentResult> records();
    }

    @Test
    void theSurfaceIsTheOneCheckedIn() throws Exception {
        String actual = String.join("\n", signatures()) + "\n";
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(SIGNATURES.getParent());
            Files.writeString(SIGNATURES, actual);
        }
        assertEquals(Files.readString(SIGNATURES), actual, "the Java API changed: check the change against"
                + " docs/java-api.md#versioning, then rewrite " + SIGNATURES + " with -Dapi.update=true");
    }

    @Test
    void onlyTheApiKnowsTheApi() {
        // the layers under the API never call up into it; only its own implementation does
        noClasses().that().resideOutsideOfPackages("dev.pulse.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.pulse.api..")
                .check(classes);
    }

    @Test
    void theErrorPackageIsPartOfTheApi() {
        assertTrue(apiTypes().contains(PulseException.class));
        assertTrue(apiTypes().contains(PulseException.Category.class));
    }

    /** One line per public type and member, in a stable order. */
    static List<String> signatures() {
        List<String> lines = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            String kind = type.isRecord() ? "record" : type.isEnum() ? "enum" : type.isInterface() ? "interface" : "class";
            lines.add(kind + " " + type.getName()
                    + (type.getGenericSuperclass() == null || type.getSuperclass() == Object.class
                            || type.isEnum() || type.isRecord() ? "" : " extends " + type.getGenericSuperclass().getTypeName())
                    + (type.getGenericInterfaces().length == 0 ? "" : " implements " + Arrays.stream(type.getGenericInterfaces())
                            .map(Type::getTypeName).collect(Collectors.joining(", "))));
            Set<String> members = new TreeSet<>();
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) {
                    members.add("  field " + modifiers(field.getModifiers()) + field.getGenericType().getTypeName() + " " + field.getName());
                }
            }
            for (Executable executable : executables(type)) {
                String parameters = Arrays.stream(executable.getGenericParameterTypes()).map(Type::getTypeName)
                        .collect(Collectors.joining(", "));
                String thrown = executable.getGenericExceptionTypes().length == 0 ? "" : " throws "
                        + Arrays.stream(executable.getGenericExceptionTypes()).map(Type::getTypeName).collect(Collectors.joining(", "));
                if (executable instanceof Method method) {
                    members.add("  method " + modifiers(method.getModifiers()) + method.getGenericReturnType().getTypeName()
                            + " " + method.getName() + "(" + parameters + ")" + thrown);
                } else {
                    members.add("  constructor " + modifiers(executable.getModifiers()) + "(" + parameters + ")" + thrown);
                }
            }
            lines.addAll(members);
        }
        return lines;
    }

    private static String modifiers(int modifiers) {
        String text = Modifier.toString(modifiers & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
                | Modifier.FINAL | Modifier.ABSTRACT));
        return text.isEmpty() ? "" : text + " ";
    }

    private static List<Executable> executables(Class<?> type) {
        List<Executable> all = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                all.add(method);
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                all.add(constructor);
            }
        }
        return all;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Adds to {@code leaks} every type inside {@code type} (its arguments, bounds, components) that is not API or JDK. */
    static void check(Type type, String where, List<String> leaks) {
        if (type == null) {
            return;
        }
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                check(c.getComponentType(), where, leaks);
            } else if (!c.isPrimitive() && !allowed(c)) {
                leaks.add(where + ": " + c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            check(p.getRawType(), where, leaks);
            for (Type argument : p.getActualTypeArguments()) {
                check(argument, where, leaks);
            }
        } else if (type instanceof WildcardType w) {
            Arrays.stream(w.getUpperBounds()).forEach(bound -> check(bound, where, leaks));
            Arrays.stream(w.getLowerBounds()).forEach(bound -> check(bound, where, leaks));
        } else if (type instanceof TypeVariable<?> v) {
            Arrays.stream(v.getBounds()).forEach(bound -> check(bound, where, leaks));
        } else if (type instanceof GenericArrayType a) {
            check(a.getGenericComponentType(), where, leaks);
        }
    }

    private static boolean allowed(Class<?> type) {
        return API_PACKAGES.contains(type.getPackageName()) || type.getPackageName().startsWith("java.");
    }
}
