#include "agent/cli.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "schema/parse.h"

namespace flint::agent {

int Main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "validate") {
    std::string path = argv[2];
    std::string bytes;
    if (path == "-") {
      bytes.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        std::cerr << "flint: cannot open '" << path << "'\n";
        return 2;
      }
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    schema::ParseResult r = schema::Parse(bytes);
    std::cout << r.report.String();
    return r.report.HasErrors() ? 1 : 0;
  }
  std::cerr << "usage: flint validate FILE|-\n";
  return 2;
}

}  // namespace flint::agent
