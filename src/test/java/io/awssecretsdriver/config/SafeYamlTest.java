package io.awssecretsdriver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** SafeYaml loads what SnakeYAML's Yaml facade loads, with the same options enforced. */
class SafeYamlTest {
  private static LoaderOptions strict() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(3);
    options.setNestingDepthLimit(5);
    return options;
  }

  @Test
  void documentsLoadAsWithTheFacade() {
    for (String yaml : List.of("", "a: 1\nb: [x, 'y', 2.5, true, null]\n", "k: &v {x: 1}\nl: *v\n", "- 2001-12-14\n- 0x1F\n",
        "s: !!set {a, b}\n", "o: !!omap [a: 1, b: 2]\n", "text")) {
      Object facade = new Yaml(new SafeConstructor(strict())).load(yaml);
      assertEquals(String.valueOf(facade), String.valueOf(SafeYaml.load(yaml, strict())), yaml);
    }
  }

  @Test
  void theOptionsAreEnforced() {
    for (String yaml : List.of("a: 1\na: 2\n", "a: &a [x]\nb: [*a, *a, *a, *a]\n", "a: [[[[[[x]]]]]]\n", "a: !!java.net.URL [x]\n", "a: [")) {
      assertThrows(YAMLException.class, () -> SafeYaml.load(yaml, strict()), yaml);
      assertThrows(YAMLException.class, () -> new Yaml(new SafeConstructor(strict())).load(yaml), yaml);
    }
  }
}
