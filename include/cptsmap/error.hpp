#pragma once
// One exception hierarchy for the whole library. The core never prints and never exits: it throws
// these, and the CLI turns them into one line on stderr and an exit code (see README "Exit codes").
#include <stdexcept>
#include <string>

namespace cptsmap {

// Base of every error the library reports to a user. what() is a complete sentence a GIS analyst
// can act on: what went wrong, where (file, feature, line:column), and what to do.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The commune layer (or another input data set) cannot be read or lacks what we need.
class InputError : public Error {
public:
    using Error::Error;
};

// The definitions file or an expression is malformed or names something that does not exist.
class DefinitionError : public Error {
public:
    using Error::Error;
};

// Outputs cannot be written (permissions, disk, driver).
class OutputError : public Error {
public:
    using Error::Error;
};

// A geometric computation could not be completed: GEOS refused an operation (GeosError, in
// io/geos_context.hpp), or a dissolved boundary did not close (RingTracingError, in
// geometry/edge_dissolve.hpp). Internal: callers catch it to fall back to a more robust method;
// one that reaches the command line is a bug (exit code 3).
class GeometryError : public Error {
public:
    using Error::Error;
};

} // namespace cptsmap
