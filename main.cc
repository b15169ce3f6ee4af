#include "agent/cli.h"

int main(int argc, char** argv) { return flint::agent::Main(argc, argv); }
