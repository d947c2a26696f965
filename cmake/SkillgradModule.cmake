# skillgrad_module(NAME DEPS ...): a static library sg_NAME from src/NAME/*.cpp (tests
# excluded) and, when src/NAME has *_test.cpp files, a GoogleTest binary NAME_tests
# registered with CTest. Sources are globbed so that adding a file needs no edit here.
function(skillgrad_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.cpp)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*_test.cpp)
  list(REMOVE_ITEM srcs ${tests} ${CMAKE_SOURCE_DIR}/src/cli/main.cpp)
  if(NOT srcs)
    set(srcs ${CMAKE_SOURCE_DIR}/cmake/empty.cpp)
  endif()
  add_library(sg_${name} STATIC ${srcs})
  target_include_directories(sg_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(sg_${name} PUBLIC ${M_DEPS})
  if(name STREQUAL "core")
    target_precompile_headers(sg_core PRIVATE ${CMAKE_SOURCE_DIR}/src/core/pch.h)
  elseif(EXISTS ${CMAKE_SOURCE_DIR}/src/${name}/pch.h)
    target_precompile_headers(sg_${name} PRIVATE ${CMAKE_SOURCE_DIR}/src/${name}/pch.h)
  else()
    target_precompile_headers(sg_${name} REUSE_FROM sg_core)
  endif()
  if(tests)
    add_executable(${name}_tests ${tests})
    target_link_libraries(${name}_tests PRIVATE sg_${name} GTest::gtest GTest::gtest_main)
    # GoogleMock only for the parts whose tests (or test helpers) include a <gmock/...>
    # header. The files are read at configure time: a new test file is noticed by the glob,
    # an include added to an existing one links after cmake runs again (cmake build).
    file(GLOB test_helpers ${CMAKE_SOURCE_DIR}/src/${name}/*test*.h)
    foreach(file IN LISTS tests test_helpers)
      file(READ ${file} text)
      string(FIND "${text}" "<gmock/" at)
      if(NOT at EQUAL -1)
        target_link_libraries(${name}_tests PRIVATE GTest::gmock)
        break()
      endif()
    endforeach()
    target_precompile_headers(${name}_tests REUSE_FROM sg_core)
    gtest_discover_tests(${name}_tests
      DISCOVERY_TIMEOUT 60
      PROPERTIES LABELS ${name}
                 ENVIRONMENT "SKILLGRAD_BIN=${CMAKE_BINARY_DIR}/skillgrad\\;SKILLGRAD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  endif()
endfunction()
