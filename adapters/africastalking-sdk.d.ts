/**
 * The slice of the untyped `africastalking` SDK (0.8.x) this project uses: SMS (lib/sms.js) for
 * the SMS channel, VOICE.call (lib/voice.js) for the voice line's call backs. Shared by both
 * channels, so it lives outside their folders.
 */
declare module 'africastalking' {
  interface AtRecipient {
    statusCode: number;
    number: string;
    status: string;
    cost: string;
    messageId: string;
  }
  interface AtSendResponse {
    SMSMessageData: { Message: string; Recipients: AtRecipient[] };
  }
  interface AtSms {
    /** Resolves with the body on HTTP 201; rejects with the axios error, a Joi error or a non-201 body. */
    send(params: { to: string | string[]; message: string; from?: string }): Promise<AtSendResponse>;
  }
  interface AtCallEntry {
    phoneNumber: string;
    /** `Queued` when the call will be placed; otherwise why not (`InvalidPhoneNumber`, `DestinationNotSupported`, `InsufficientCredit`). */
    status: string;
    sessionId: string;
  }
  interface AtCallResponse {
    entries?: AtCallEntry[];
    errorMessage?: string;
  }
  interface AtVoice {
    /**
     * POSTs a form (`username`, `to`, `from`, `clientRequestId`) to voice.africastalking.com/call.
     * Resolves with the body on HTTP 200/201; rejects with the axios error, a string of Joi
     * messages (which quote the refused number) or a non-2xx body.
     */
    call(params: {
      callFrom: string;
      callTo: string | string[];
      clientRequestId?: string;
    }): Promise<AtCallResponse>;
  }
  function AfricasTalking(options: { apiKey: string; username: string; format?: 'json' | 'xml' }): {
    SMS: AtSms;
    VOICE: AtVoice;
  };
  export default AfricasTalking;
}
