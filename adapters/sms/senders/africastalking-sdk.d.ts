/** The slice of the untyped `africastalking` SDK (0.8.x, lib/sms.js) this project uses. */
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
  function AfricasTalking(options: { apiKey: string; username: string; format?: 'json' | 'xml' }): {
    SMS: AtSms;
  };
  export default AfricasTalking;
}
