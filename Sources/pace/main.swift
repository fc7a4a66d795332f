#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceSystem

exit(CommandLineInterface.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current))
