import Logging

/// What the host's service calls need to answer one instance.
final class ServiceContext {
    let logger: Logger
    /// The run's generator, for truth and likelihood services; nil while
    /// the generator itself is being created.
    let generator: GeneratorInstance?

    init(logger: Logger, generator: GeneratorInstance?) {
        self.logger = logger
        self.generator = generator
    }
}
