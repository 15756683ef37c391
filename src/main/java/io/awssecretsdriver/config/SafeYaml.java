package io.awssecretsdriver.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * One YAML document as plain Java values (maps, lists, scalars), through SnakeYAML's parser,
 * composer and safe constructor: what {@code new Yaml(new SafeConstructor(options)).load(text)}
 * does, without the {@code Yaml} facade, whose representer sets up the JDK's logging on first use
 * (about 20 ms of every stage's start-up).
 */
public final class SafeYaml {
  private SafeYaml() {}

  /** The document's value, or null for an empty document; SnakeYAML's exceptions pass through. */
  public static Object load(String text, LoaderOptions options) {
    SafeConstructor constructor = new SafeConstructor(options);
    // what the facade copies from the options into its constructor
    constructor.setAllowDuplicateKeys(options.isAllowDuplicateKeys());
    constructor.setWarnOnDuplicateKeys(options.isWarnOnDuplicateKeys());
    constructor.setWrappedToRootException(options.isWrappedToRootException());
    constructor.setComposer(new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options));
    return constructor.getSingleData(Object.class);
  }
}
