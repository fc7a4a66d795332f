#if canImport(Glibc)
import Glibc
#endif
import PaceBench

exit(BenchMain.run(Array(CommandLine.arguments.dropFirst())))
