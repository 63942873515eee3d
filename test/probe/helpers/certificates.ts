export {
  type KeyPair,
  makeTestCertificates,
  type TestCertificates,
} from "../../../checks/demo/certificates.js";
